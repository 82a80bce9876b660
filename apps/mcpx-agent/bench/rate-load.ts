/** Fires `task` at a fixed rate for `seconds` (open loop, so a slow target cannot slow the
 * schedule and hide its latency) and returns the sorted latencies in ms of those that succeeded. */
export async function runAtRate(
  task: () => Promise<void>,
  options: { ratePerSecond: number; seconds: number },
): Promise<{ latencies: number[]; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const total = options.ratePerSecond * options.seconds;
  const intervalMs = 1000 / options.ratePerSecond;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const begin = performance.now();
    inFlight.push(
      task().then(
        () => {
          latencies.push(performance.now() - begin);
        },
        () => {
          errors++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return { latencies: latencies.sort((a, b) => a - b), errors };
}

export function percentile(sorted: readonly number[], q: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN
  );
}
