// `npm run bench:proxy`: the latency the egress proxy adds at 1,000 requests/s over keep-alive,
// against direct and against Debian's squid with an equivalent allowlist, in the same run:
// plain HTTP (absolute-form) and CONNECT (TLS end to end, not inspected: squid cannot inspect),
// then the cost of the TLS-inspected path on its own, and flows evaluation with 1,000 rules.
// BENCH_BASELINE_BIN=<another checkout>/apps/mcpx-agent/bin/mcpx-agent.mjs adds that build's
// proxy to every row, in the same alternating rounds: before and after a change, same machine.

import type { ChildProcess } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileFlows, evaluateRequest, loadFlowsDocument, parseTarget } from "@lunar/shared";
import { createTestCa } from "../src/testing/outbound/test-ca";
import { type BenchPath, measure, type Row } from "./measure-rounds";
import { comparePerRound } from "./paired-rounds";
import { plainVia, tlsVia } from "./proxy-clients";
import { spawnProxy, stopProxy } from "./spawn-proxy";
import { startSquid } from "./squid";

const RATE = Number(process.env.BENCH_RATE ?? 1_000);
// BENCH_ROWS=http,connect,inspected (default all); BENCH_PROXY_NODE_ARGS="--cpu-prof
// --cpu-prof-dir=/tmp/prof" profiles our proxy processes (written when they exit on SIGTERM);
// BENCH_PROXY_STDOUT=1 passes their stdout on (where V8's --trace-gc writes).
const ROWS = new Set((process.env.BENCH_ROWS ?? "http,connect,inspected").split(","));
const PROXY_OPTIONS = {
  nodeArgs: (process.env.BENCH_PROXY_NODE_ARGS ?? "").split(" ").filter(Boolean),
  stdout: Boolean(process.env.BENCH_PROXY_STDOUT),
  stderr: Boolean(process.env.BENCH_PROXY_STDERR),
};
const BASELINE_BIN = process.env.BENCH_BASELINE_BIN;
// Each row's paths run in alternating rounds (BENCH_ROUNDS of BENCH_SECONDS each, the order
// rotated every round), so direct, mcpx and squid see the same machine load; the percentiles are
// of all of a path's latencies pooled. Many short rounds: these machines stall now and then for
// milliseconds (docs/BENCHMARKS.md), and long rounds let one path collect more of the stalls.
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const BODY = "x".repeat(200);
// Connections per path's client pool, all opened before every round (see measure()).
const POOL = 8;

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

// Our proxy runs as its own process (`mcpx-agent proxy`), as squid does. Its allowlist names the
// upstream's address explicitly (so the internal-address refusal lets it through).
const workDir = await mkdtemp(join(tmpdir(), "bench-proxy-"));
const flowsFile = join(workDir, "flows.yaml");
await writeFile(
  flowsFile,
  `Allow:\n  processor: Filter\n  parameters:\n    - key: urls\n      value: ["127.0.0.1:${httpPort}/*", "127.0.0.1:${httpsPort}/*"]\n`,
);
const upstreamCaFile = join(workDir, "upstream-ca.pem");
await writeFile(upstreamCaFile, upstreamCa.certPem);
const BIN = fileURLToPath(new URL("../bin/mcpx-agent.mjs", import.meta.url));
// A blind (not inspecting) and an inspecting proxy per build; all share one CA in workDir.
async function proxiesOf(bin: string, port: number) {
  const common = ["--flows", flowsFile, "--trust-ca", upstreamCaFile, "--state-dir", workDir];
  const blind = await spawnProxy(
    bin,
    ["--port", String(port), ...common, "--no-tls-inspection"],
    PROXY_OPTIONS,
  );
  const inspecting = await spawnProxy(bin, ["--port", String(port + 1), ...common], PROXY_OPTIONS);
  return { blind, inspecting, blindPort: port, inspectingPort: port + 1 };
}
const firstPort = 20000 + Math.floor(Math.random() * 10000);
const ours = await proxiesOf(BIN, firstPort);
const baseline = BASELINE_BIN ? await proxiesOf(BASELINE_BIN, firstPort + 2) : null;
const agentCaPem = await readFile(join(workDir, "tls", "ca.pem"), "utf8");
const squidPort = 30000 + Math.floor(Math.random() * 20000);
const squid = await startSquid(squidPort, [httpPort, httpsPort]);

const roundsOf = new Map<string, number[][]>();
const options = {
  rate: RATE,
  rounds: ROUNDS,
  seconds: SECONDS,
  poolConnections: POOL,
  upstreamConnections: () => upstreamConnections,
  roundsOf,
};
const upstreamTrust = [upstreamCa.certPem];
const via = (label: string, task: () => Promise<void>, proxy: ChildProcess): BenchPath => ({
  label,
  task,
  proxyPid: proxy.pid,
});
const rows: Row[] = [];
if (ROWS.has("http")) {
  const paths: BenchPath[] = [
    { label: "HTTP direct", task: plainVia(null, httpPort, POOL) },
    via("HTTP via mcpx proxy", plainVia(ours.blindPort, httpPort, POOL), ours.blind),
  ];
  if (baseline) {
    paths.push(
      via("HTTP via mcpx baseline", plainVia(baseline.blindPort, httpPort, POOL), baseline.blind),
    );
  }
  if (squid) paths.push(via("HTTP via squid", plainVia(squidPort, httpPort, POOL), squid));
  rows.push(...(await measure(paths, options)));
}
if (ROWS.has("connect")) {
  const tunnel = (port: number) => tlsVia(port, httpsPort, upstreamTrust, POOL);
  const paths: BenchPath[] = [
    { label: "CONNECT direct (TLS)", task: tlsVia(null, httpsPort, upstreamTrust, POOL) },
    via("CONNECT via mcpx, not inspected", tunnel(ours.blindPort), ours.blind),
  ];
  if (baseline) {
    paths.push(via("CONNECT via mcpx baseline", tunnel(baseline.blindPort), baseline.blind));
  }
  if (squid) paths.push(via("CONNECT via squid", tunnel(squidPort), squid));
  rows.push(...(await measure(paths, options)));
}
if (ROWS.has("inspected")) {
  const inspect = (port: number) => tlsVia(port, httpsPort, [agentCaPem], POOL);
  const paths: BenchPath[] = [
    {
      label: "CONNECT direct (TLS), inspected row",
      task: tlsVia(null, httpsPort, upstreamTrust, POOL),
    },
    via("CONNECT via mcpx, TLS inspected", inspect(ours.inspectingPort), ours.inspecting),
  ];
  if (baseline) {
    paths.push(
      via("inspected via mcpx baseline", inspect(baseline.inspectingPort), baseline.inspecting),
    );
  }
  rows.push(...(await measure(paths, options)));
}

// Flows evaluation cost with 1,000 rules (one per host), on a hit near the end and a miss.
function nsPerEvaluation(): number {
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
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const target = i % 2 ? hit.target : miss.target;
    evaluateRequest(compiled, { target, method: "GET", server: null });
  }
  return ((performance.now() - started) * 1e6) / iterations;
}
const nsPerEval = nsPerEvaluation();

console.log(
  `rate ${RATE}/s, ${ROUNDS} alternating rounds of ${SECONDS}s per path, keep-alive pools of ${POOL} opened before each round, 200-byte body; squid ${squid ? "(Debian)" : "not installed: apt-get install squid-openssl"}${BASELINE_BIN ? `; baseline ${BASELINE_BIN}` : ""}`,
);
for (const row of rows) {
  console.log(
    `${row.label.padEnd(35)} p50 ${row.p50.toFixed(3)} ms   p90 ${row.p90.toFixed(3)}   p99 ${row.p99.toFixed(3)} ms   p99.9 ${row.p999.toFixed(3)}   errors ${row.errors}   new connections ${row.newConnections}${row.cpuPerRequestUs === null ? "" : `   proxy CPU ${row.cpuPerRequestUs.toFixed(1)} µs/request`}`,
  );
}
const find = (label: string) => rows.find((row) => row.label === label);
const signed = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(3)}`;
const added = (label: string, base: string) => {
  const a = find(label);
  const b = find(base);
  return a && b ? `p50 ${signed(a.p50 - b.p50)} ms, p99 ${signed(a.p99 - b.p99)} ms` : "n/a";
};
const ADDED: [string, string, string][] = [
  ["mcpx, HTTP", "HTTP via mcpx proxy", "HTTP direct"],
  ["baseline, HTTP", "HTTP via mcpx baseline", "HTTP direct"],
  ["squid, HTTP", "HTTP via squid", "HTTP direct"],
  ["mcpx, CONNECT", "CONNECT via mcpx, not inspected", "CONNECT direct (TLS)"],
  ["baseline, CONNECT", "CONNECT via mcpx baseline", "CONNECT direct (TLS)"],
  ["squid, CONNECT", "CONNECT via squid", "CONNECT direct (TLS)"],
  ["mcpx, TLS inspected", "CONNECT via mcpx, TLS inspected", "CONNECT direct (TLS), inspected row"],
  ["baseline, TLS inspected", "inspected via mcpx baseline", "CONNECT direct (TLS), inspected row"],
];
for (const [name, label, base] of ADDED) {
  if (find(label)) console.log(`added by ${name}:`.padEnd(36) + added(label, base));
}
console.log(`flows evaluation, 1,000 rules:      ${nsPerEval.toFixed(0)} ns per request`);
// Pooled percentiles let one path collect a stall of the machine; per round, both paths ran
// within the same few seconds, so the median of their per-round differences is the steadier
// answer to "is A slower than B" (docs/BENCHMARKS.md).
const perRound = (label: string, base: string, q: number) => {
  const a = roundsOf.get(label) as number[][];
  const b = roundsOf.get(base) as number[][];
  const c = comparePerRound(
    a.map((latencies, round) => ({ a: latencies, b: b[round] as number[] })),
    q,
  );
  return `${signed(c.median)} ms (95% CI ${signed(c.low)} to ${signed(c.high)}), A <= B in ${c.roundsAtMost}/${c.rounds} rounds`;
};
const PAIRS: [string, string, string][] = [
  ["mcpx - squid, HTTP", "HTTP via mcpx proxy", "HTTP via squid"],
  ["mcpx - squid, CONNECT", "CONNECT via mcpx, not inspected", "CONNECT via squid"],
  ["mcpx - baseline, HTTP", "HTTP via mcpx proxy", "HTTP via mcpx baseline"],
  ["mcpx - baseline, CONNECT", "CONNECT via mcpx, not inspected", "CONNECT via mcpx baseline"],
  ["mcpx - baseline, inspected", "CONNECT via mcpx, TLS inspected", "inspected via mcpx baseline"],
];
for (const [name, ours, theirs] of PAIRS) {
  if (!roundsOf.has(ours) || !roundsOf.has(theirs)) continue;
  for (const [q, percentileName] of [
    [0.5, "p50"],
    [0.99, "p99"],
  ] as const) {
    console.log(`${name} ${percentileName} per round:`.padEnd(42) + perRound(ours, theirs, q));
  }
}

squid?.kill("SIGKILL");
const proxies = [ours, ...(baseline ? [baseline] : [])];
await Promise.all(proxies.flatMap((build) => [build.blind, build.inspecting]).map(stopProxy));
plain.closeAllConnections();
tls.closeAllConnections();
plain.close();
tls.close();
process.exit(0);
