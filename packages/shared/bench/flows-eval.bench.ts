// Flows evaluation on a realistic document: `npm run bench -w @lunar/shared` (or
// `npx tsx bench/flows-eval.bench.ts` from packages/shared). The document (1,000 url globs, one
// hot host with 60 of its own) and 20,000 distinct requests come from bench/realistic-flows.ts.
// Each request is timed alone, parseTarget + evaluateRequest, as the proxy runs them; p50 and
// p99 are over every timed request, overall and per host class, beside `new URL()` on the same
// targets as the reference, and parseTarget and evaluateRequest each timed alone. Target: parse +
// decide ≤ 5 µs at p50 for every class.
// Knobs: BENCH_PASSES (5 timed passes over the 20,000 requests, after one warm-up pass),
// BENCH_SEED (13).
import {
  compileFlows,
  evaluateRequest,
  loadFlowsDocument,
  parseTarget,
  type TargetInput,
} from "../src/index";
import {
  type BenchRequest,
  generateDocument,
  generateRequests,
  type HostClass,
} from "./realistic-flows";

const PASSES = Number(process.env.BENCH_PASSES ?? 5);
const SEED = Number(process.env.BENCH_SEED ?? 13);
const TARGET_NS = 5_000;
const CLASSES: readonly HostClass[] = ["hot host", "other hosts", "unknown hosts"];

const generated = generateDocument(SEED);
const load = loadFlowsDocument(generated.document);
if (!load.ok) throw new Error(JSON.stringify(load.errors.slice(0, 3)));
const flows = compileFlows(load.document);
const requests = generateRequests(generated, SEED);

let sink = 0;

function parseAndDecide(request: BenchRequest): void {
  const parsed = parseTarget(request.input);
  if (!parsed.ok) {
    sink += 1;
    return;
  }
  const decision = evaluateRequest(flows, {
    target: parsed.target,
    method: request.method,
    headers: request.headers,
    server: request.server,
  });
  sink += decision.decision.length;
}

function parseOnly(request: BenchRequest): void {
  sink += parseTarget(request.input).ok ? 1 : 0;
}

const parsedTargets = new Map(
  requests.map((request) => [request, parseTarget(request.input)] as const),
);

function decideOnly(request: BenchRequest): void {
  const parsed = parsedTargets.get(request);
  if (!parsed?.ok) return;
  const decision = evaluateRequest(flows, {
    target: parsed.target,
    method: request.method,
    headers: request.headers,
    server: request.server,
  });
  sink += decision.decision.length;
}

function referenceUrl(input: TargetInput): void {
  const text =
    input.kind === "absolute"
      ? input.url
      : input.kind === "connect"
        ? `https://${input.authority}/`
        : `${input.scheme}://${input.hostHeader}${input.path}`;
  try {
    sink += new URL(text).hostname.length;
  } catch {
    sink += 1;
  }
}

/** Times each request alone; returns ns per request, in request order, for every timed pass. */
function timeEach(run: (request: BenchRequest) => void): Float64Array {
  for (const request of requests) run(request); // warm-up pass: let the JIT settle
  const samples = new Float64Array(requests.length * PASSES);
  let k = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    for (const request of requests) {
      const start = process.hrtime.bigint();
      run(request);
      samples[k++] = Number(process.hrtime.bigint() - start);
    }
  }
  return samples;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summarize(samples: Float64Array, keep: (request: BenchRequest) => boolean) {
  const picked: number[] = [];
  for (let i = 0; i < samples.length; i++) {
    const request = requests[i % requests.length];
    if (request && keep(request)) picked.push(samples[i] ?? 0);
  }
  const sorted = Float64Array.from(picked).sort();
  return {
    count: picked.length / PASSES,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

const us = (ns: number) => `${(ns / 1000).toFixed(2)} µs`.padStart(9);

const timerOverhead = timeEach(() => {});
const ours = timeEach(parseAndDecide);
const reference = timeEach((request) => referenceUrl(request.input));
const parseAlone = timeEach(parseOnly);
const decideAlone = timeEach(decideOnly);

const connects = requests.filter((r) => r.input.kind === "connect").length;
console.log(
  `flows: ${flows.ruleCount} url globs (seed ${SEED}); ${requests.length} distinct requests ` +
    `(${connects} CONNECT); ${PASSES} timed passes; node ${process.version}`,
);
console.log(`timer overhead per sample: p50 ${us(summarize(timerOverhead, () => true).p50)}`);
console.log(
  `${"class".padEnd(14)} ${"requests".padStart(8)}   parse+decide p50 / p99   new URL() p50 / p99` +
    "   parse alone p50   decide alone p50",
);
let met = true;
for (const [label, keep] of [
  ["all", () => true],
  ...CLASSES.map((c) => [c, (r: BenchRequest) => r.hostClass === c] as const),
] as const) {
  const a = summarize(ours, keep);
  const b = summarize(reference, keep);
  if (a.p50 > TARGET_NS) met = false;
  console.log(
    `${label.padEnd(14)} ${String(a.count).padStart(8)}   ${us(a.p50)} / ${us(a.p99)}   ${us(b.p50)} / ${us(b.p99)}` +
      `   ${us(summarize(parseAlone, keep).p50)}         ${us(summarize(decideAlone, keep).p50)}`,
  );
}
console.log(
  met
    ? "p50 within the 5 µs target for every class"
    : "ABOVE the 5 µs target at p50 for some class",
);
if (sink === 0) console.log("(nothing ran)");
