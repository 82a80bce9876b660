import { processCpuSeconds } from "./process-cpu";
import { percentile, runAtRate } from "./rate-load";

export interface BenchPath {
  label: string;
  task: () => Promise<void>;
  /** The proxy process on this path, whose CPU is counted (none for direct paths). */
  proxyPid?: number;
}

export interface Row {
  label: string;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  errors: number;
  newConnections: number;
  /** The proxy process's CPU per measured request, µs (null for direct paths). */
  cpuPerRequestUs: number | null;
}

export interface MeasureOptions {
  rate: number;
  rounds: number;
  seconds: number;
  /** Connections per client pool, all opened before every round. */
  poolConnections: number;
  /** Upstream connections opened so far (new ones during a measured round are counted). */
  upstreamConnections: () => number;
  /** Each path's sorted latencies of every round, by label (for the per-round comparison). */
  roundsOf: Map<string, number[][]>;
}

/**
 * Runs a row's paths in alternating rounds (the order rotated every round), so every path sees
 * the same machine; the percentiles are of all of a path's latencies pooled.
 */
export async function measure(paths: BenchPath[], options: MeasureOptions): Promise<Row[]> {
  const pooled = paths.map(() => ({
    latencies: [] as number[],
    errors: 0,
    newConnections: 0,
    cpuSeconds: 0,
    requests: 0,
  }));
  for (const path of paths) options.roundsOf.set(path.label, []);
  // Warm-up: pools, TLS sessions, leaf certificates, JIT.
  for (const path of paths) await runAtRate(path.task, { ratePerSecond: options.rate, seconds: 1 });
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < paths.length; k++) {
      const index = (round + k) % paths.length;
      const path = paths[index] as BenchPath;
      // Unmeasured: as many requests at once as the pool has connections, so every connection
      // is open before the round. Else a stall of the machine queues requests, the client opens
      // new connections (TLS handshakes in this process) and the episode grows tenfold, in
      // whichever path's round it struck (docs/BENCHMARKS.md, session 4).
      await Promise.all(Array.from({ length: options.poolConnections }, () => path.task()));
      const connectionsBefore = options.upstreamConnections();
      const cpuBefore = processCpuSeconds(path.proxyPid);
      const result = await runAtRate(path.task, {
        ratePerSecond: options.rate,
        seconds: options.seconds,
      });
      const cpuAfter = processCpuSeconds(path.proxyPid);
      const into = pooled[index] as (typeof pooled)[number];
      into.newConnections += options.upstreamConnections() - connectionsBefore;
      if (cpuBefore !== null && cpuAfter !== null) into.cpuSeconds += cpuAfter - cpuBefore;
      into.requests += result.latencies.length + result.errors;
      into.latencies.push(...result.latencies);
      options.roundsOf.get(path.label)?.push(result.latencies);
      into.errors += result.errors;
    }
  }
  return paths.map((path, index) => {
    const { latencies, errors, newConnections, cpuSeconds, requests } = pooled[
      index
    ] as (typeof pooled)[number];
    latencies.sort((a, b) => a - b);
    return {
      label: path.label,
      p50: percentile(latencies, 0.5),
      p90: percentile(latencies, 0.9),
      p99: percentile(latencies, 0.99),
      p999: percentile(latencies, 0.999),
      errors,
      newConnections,
      cpuPerRequestUs: path.proxyPid === undefined ? null : (cpuSeconds * 1e6) / requests,
    };
  });
}
