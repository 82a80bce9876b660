// `npm run bench:proxy`: the latency the egress proxy adds at 1,000 requests/s over keep-alive,
// against direct and against Debian's squid with an equivalent allowlist, in the same run:
// plain HTTP (absolute-form) and CONNECT (TLS end to end, not inspected: squid cannot inspect),
// then the cost of the TLS-inspected path on its own, and flows evaluation with 1,000 rules.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import {
  createServer as createHttpServer,
  Agent as HttpAgent,
  request as httpRequest,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileFlows, evaluateRequest, loadFlowsDocument, parseTarget } from "@lunar/shared";
import { ProxyAgent, Agent as UndiciAgent, request as undiciRequest } from "undici";
import { AGENT_NODE_FLAGS } from "../src/node-flags";
import { createTestCa } from "../src/testing/outbound/test-ca";
import { comparePerRound } from "./paired-rounds";
import { processCpuSeconds } from "./process-cpu";
import { percentile, runAtRate } from "./rate-load";
import { startSquid } from "./squid";

const RATE = Number(process.env.BENCH_RATE ?? 1_000);
// BENCH_ROWS=http,connect,inspected (default all); BENCH_PROXY_NODE_ARGS="--cpu-prof
// --cpu-prof-dir=/tmp/prof" profiles our proxy processes (written when they exit on SIGTERM);
// BENCH_PROXY_STDOUT=1 passes their stdout on (where V8's --trace-gc writes).
const ROWS = new Set((process.env.BENCH_ROWS ?? "http,connect,inspected").split(","));
const PROXY_NODE_ARGS = (process.env.BENCH_PROXY_NODE_ARGS ?? "").split(" ").filter(Boolean);
// Each row's paths run in alternating rounds (BENCH_ROUNDS of BENCH_SECONDS each, the order
// rotated every round), so direct, mcpx and squid see the same machine load; the percentiles are
// of all of a path's latencies pooled. Many short rounds: these machines stall now and then for
// milliseconds (docs/BENCHMARKS.md), and long rounds let one path collect more of the stalls.
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const BODY = "x".repeat(200);
// Connections per path's client pool, all opened before every round (see measure()).
const POOL_CONNECTIONS = 8;

async function listen(server: import("node:net").Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

// Upstreams: 200-byte body, keep-alive (as in docs/MEASURED.md).
const plain = createHttpServer((_req, res) => res.end(BODY));
plain.keepAliveTimeout = 60_000;
const httpPort = await listen(plain);
const upstreamCa = await createTestCa("bench upstream CA");
const leaf = await upstreamCa.issue(["127.0.0.1"]);
const tls = createHttpsServer({ key: leaf.keyPem, cert: leaf.certPem }, (_req, res) =>
  res.end(BODY),
);
tls.keepAliveTimeout = 60_000;
const httpsPort = await listen(tls);
// Upstream connections opened while a round was measured: a TLS handshake there (the client's,
// through a CONNECT tunnel) costs this process milliseconds of CPU and lands in the tail.
let upstreamConnections = 0;
const countConnection = () => {
  upstreamConnections++;
};
plain.on("connection", countConnection);
tls.on("secureConnection", countConnection);

// Our proxy runs as its own process (`mcpx-agent proxy`), as squid does: the load generator and
// the upstreams share this process, and must not share the proxy's event loop. Its allowlist names
// the upstream's address explicitly (so the internal-address refusal lets it through).
const workDir = await mkdtemp(join(tmpdir(), "bench-proxy-"));
const flowsFile = join(workDir, "flows.yaml");
await writeFile(
  flowsFile,
  `Allow:\n  processor: Filter\n  parameters:\n    - key: urls\n      value: ["127.0.0.1:${httpPort}/*", "127.0.0.1:${httpsPort}/*"]\n`,
);
const upstreamCaFile = join(workDir, "upstream-ca.pem");
await writeFile(upstreamCaFile, upstreamCa.certPem);
const BIN = fileURLToPath(new URL("../bin/mcpx-agent.mjs", import.meta.url));
async function spawnProxy(port: number, extra: string[]): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      ...AGENT_NODE_FLAGS,
      ...PROXY_NODE_ARGS,
      BIN,
      "proxy",
      "--port",
      String(port),
      "--flows",
      flowsFile,
      "--trust-ca",
      upstreamCaFile,
      "--state-dir",
      workDir,
      "--log-level",
      "warn",
      ...extra,
    ],
    { stdio: ["ignore", process.env.BENCH_PROXY_STDOUT ? "inherit" : "ignore", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      if (process.env.BENCH_PROXY_STDERR) process.stderr.write(chunk);
      if (chunk.toString().includes("egress proxy on")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`proxy exited ${code}`)));
  });
  return child;
}
const blindPort = 20000 + Math.floor(Math.random() * 10000);
const inspectingPort = blindPort + 1;
const blindProxy = await spawnProxy(blindPort, ["--no-tls-inspection"]);
const inspectingProxy = await spawnProxy(inspectingPort, []);
const agentCaPem = await readFile(join(workDir, "tls", "ca.pem"), "utf8");
const squidPort = 30000 + Math.floor(Math.random() * 20000);
const squid = await startSquid(squidPort, [httpPort, httpsPort]);

// Plain HTTP: absolute-form through a proxy, origin-form direct; one keep-alive pool each.
function plainVia(proxyPort: number | null) {
  const agent = new HttpAgent({ keepAlive: true, maxSockets: POOL_CONNECTIONS });
  return () =>
    new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        proxyPort === null
          ? { host: "127.0.0.1", port: httpPort, path: "/", agent }
          : {
              host: "127.0.0.1",
              port: proxyPort,
              path: `http://127.0.0.1:${httpPort}/`,
              agent,
              headers: { host: `127.0.0.1:${httpPort}` },
            },
        (res) => {
          res.resume();
          res.on("end", () =>
            res.statusCode === 200 ? resolve() : reject(new Error(String(res.statusCode))),
          );
        },
      );
      req.on("error", reject);
      req.end();
    });
}

// HTTPS: TLS to the upstream, directly or inside a CONNECT tunnel (undici keeps tunnels alive).
function tlsVia(proxyPort: number | null, trust: string[]) {
  const dispatcher =
    proxyPort === null
      ? new UndiciAgent({ connect: { ca: trust }, connections: POOL_CONNECTIONS })
      : new ProxyAgent({
          uri: `http://127.0.0.1:${proxyPort}`,
          requestTls: { ca: trust },
          connections: POOL_CONNECTIONS,
        });
  return async () => {
    const response = await undiciRequest(`https://127.0.0.1:${httpsPort}/`, { dispatcher });
    await response.body.text();
    if (response.statusCode !== 200) throw new Error(String(response.statusCode));
  };
}

type Row = {
  label: string;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  errors: number;
  newConnections: number;
  /** The proxy process's CPU per measured request, µs (null for direct paths). */
  cpuPerRequestUs: number | null;
};
// Each path's sorted latencies of every round, by label (for the per-round comparison).
const roundsOf = new Map<string, number[][]>();
async function measure(
  paths: { label: string; task: () => Promise<void>; proxyPid?: number }[],
): Promise<Row[]> {
  const pooled = paths.map(() => ({
    latencies: [] as number[],
    errors: 0,
    newConnections: 0,
    cpuSeconds: 0,
    requests: 0,
  }));
  for (const path of paths) roundsOf.set(path.label, []);
  // Warm-up: pools, TLS sessions, leaf certificates, JIT.
  for (const path of paths) await runAtRate(path.task, { ratePerSecond: RATE, seconds: 1 });
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < paths.length; k++) {
      const index = (round + k) % paths.length;
      const path = paths[index] as (typeof paths)[number];
      // Unmeasured: as many requests at once as the pool has connections, so every connection
      // is open before the round. Else a stall of the machine queues requests, the client opens
      // new connections (TLS handshakes in this process) and the episode grows tenfold, in
      // whichever path's round it struck (docs/BENCHMARKS.md, session 4).
      await Promise.all(Array.from({ length: POOL_CONNECTIONS }, () => path.task()));
      const connectionsBefore = upstreamConnections;
      const cpuBefore = processCpuSeconds(path.proxyPid);
      const result = await runAtRate(path.task, { ratePerSecond: RATE, seconds: SECONDS });
      const cpuAfter = processCpuSeconds(path.proxyPid);
      const into = pooled[index] as (typeof pooled)[number];
      into.newConnections += upstreamConnections - connectionsBefore;
      if (cpuBefore !== null && cpuAfter !== null) into.cpuSeconds += cpuAfter - cpuBefore;
      into.requests += result.latencies.length + result.errors;
      into.latencies.push(...result.latencies);
      roundsOf.get(path.label)?.push(result.latencies);
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

const rows: Row[] = [];
if (ROWS.has("http")) {
  rows.push(
    ...(await measure([
      { label: "HTTP direct", task: plainVia(null) },
      { label: "HTTP via mcpx proxy", task: plainVia(blindPort), proxyPid: blindProxy.pid },
      ...(squid
        ? [{ label: "HTTP via squid", task: plainVia(squidPort), proxyPid: squid.pid }]
        : []),
    ])),
  );
}
if (ROWS.has("connect")) {
  rows.push(
    ...(await measure([
      { label: "CONNECT direct (TLS)", task: tlsVia(null, [upstreamCa.certPem]) },
      {
        label: "CONNECT via mcpx, not inspected",
        task: tlsVia(blindPort, [upstreamCa.certPem]),
        proxyPid: blindProxy.pid,
      },
      ...(squid
        ? [
            {
              label: "CONNECT via squid",
              task: tlsVia(squidPort, [upstreamCa.certPem]),
              proxyPid: squid.pid,
            },
          ]
        : []),
    ])),
  );
}
if (ROWS.has("inspected")) {
  const [direct, inspected] = await measure([
    { label: "CONNECT direct (TLS), inspected row", task: tlsVia(null, [upstreamCa.certPem]) },
    {
      label: "CONNECT via mcpx, TLS inspected",
      task: tlsVia(inspectingPort, [agentCaPem]),
      proxyPid: inspectingProxy.pid,
    },
  ]);
  rows.push(direct as Row, inspected as Row);
}

// Flows evaluation cost with 1,000 rules (one per host), on a hit near the end and a miss.
const document = {
  Allow: {
    processor: "Filter",
    parameters: [
      { key: "urls", value: Array.from({ length: 1000 }, (_, i) => `api${i}.example.com/v1/*`) },
    ],
  },
};
const load = loadFlowsDocument(document);
if (!load.ok) throw new Error("bench flows invalid");
const compiled = compileFlows(load.document);
const hit = parseTarget({ kind: "absolute", url: "https://api997.example.com/v1/items" });
const miss = parseTarget({ kind: "absolute", url: "https://api.badactor.com/steal" });
if (!hit.ok || !miss.ok) throw new Error("bench targets invalid");
const iterations = 200_000;
const evalStarted = performance.now();
for (let i = 0; i < iterations; i++) {
  evaluateRequest(compiled, {
    target: i % 2 ? hit.target : miss.target,
    method: "GET",
    server: null,
  });
}
const nsPerEval = ((performance.now() - evalStarted) * 1e6) / iterations;

console.log(
  `rate ${RATE}/s, ${ROUNDS} alternating rounds of ${SECONDS}s per path, keep-alive pools of ${POOL_CONNECTIONS} opened before each round, 200-byte body; squid ${squid ? "5.x (Debian)" : "not installed: apt-get install squid"}`,
);
for (const row of rows) {
  console.log(
    `${row.label.padEnd(34)} p50 ${row.p50.toFixed(3)} ms   p90 ${row.p90.toFixed(3)}   p99 ${row.p99.toFixed(3)} ms   p99.9 ${row.p999.toFixed(3)}   errors ${row.errors}   new connections ${row.newConnections}${row.cpuPerRequestUs === null ? "" : `   proxy CPU ${row.cpuPerRequestUs.toFixed(1)} µs/request`}`,
  );
}
const find = (label: string) => rows.find((row) => row.label === label);
const signed = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(3)}`;
const added = (label: string, base: string) => {
  const a = find(label);
  const b = find(base);
  return a && b ? `p50 ${signed(a.p50 - b.p50)} ms, p99 ${signed(a.p99 - b.p99)} ms` : "n/a";
};
console.log(`added by mcpx, HTTP:                ${added("HTTP via mcpx proxy", "HTTP direct")}`);
console.log(`added by squid, HTTP:               ${added("HTTP via squid", "HTTP direct")}`);
console.log(
  `added by mcpx, CONNECT:             ${added("CONNECT via mcpx, not inspected", "CONNECT direct (TLS)")}`,
);
console.log(
  `added by squid, CONNECT:            ${added("CONNECT via squid", "CONNECT direct (TLS)")}`,
);
console.log(
  `added by mcpx, TLS inspected:       ${added("CONNECT via mcpx, TLS inspected", "CONNECT direct (TLS), inspected row")}`,
);
console.log(`flows evaluation, 1,000 rules:      ${nsPerEval.toFixed(0)} ns per request`);
// Pooled percentiles let one path collect a stall of the machine; per round, both proxies ran
// within the same few seconds, so the median of their per-round differences is the steadier
// answer to "is ours slower than squid's" (docs/BENCHMARKS.md).
const perRound = (label: string, base: string, q: number) => {
  const a = roundsOf.get(label);
  const b = roundsOf.get(base);
  if (!a || !b) return "n/a";
  const c = comparePerRound(
    a.map((latencies, round) => ({ a: latencies, b: b[round] as number[] })),
    q,
  );
  return `${signed(c.median)} ms (95% CI ${signed(c.low)} to ${signed(c.high)}), mcpx <= squid in ${c.roundsAtMost}/${c.rounds} rounds`;
};
for (const [name, ours, theirs] of [
  ["HTTP", "HTTP via mcpx proxy", "HTTP via squid"],
  ["CONNECT", "CONNECT via mcpx, not inspected", "CONNECT via squid"],
] as const) {
  if (!roundsOf.has(ours) || !roundsOf.has(theirs)) continue;
  for (const [q, percentileName] of [
    [0.5, "p50"],
    [0.99, "p99"],
  ] as const) {
    console.log(
      `mcpx - squid, ${name} ${percentileName} per round:`.padEnd(36) + perRound(ours, theirs, q),
    );
  }
}

squid?.kill("SIGKILL");
// SIGTERM, so a profiled proxy writes its profile on the way out.
await Promise.all(
  [blindProxy, inspectingProxy].map(
    (child) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => {
          clearTimeout(force);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  ),
);
plain.closeAllConnections();
tls.closeAllConnections();
plain.close();
tls.close();
process.exit(0);
