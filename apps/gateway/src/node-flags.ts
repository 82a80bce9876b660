/**
 * Node flags the gateway runs with, wherever it is started (npm start, tests, benchmarks). A
 * 64 MiB young generation: every batch allocates its parsed events, rows and COPY text and drops
 * them a few milliseconds later; with Node's default 16 MiB much of that lived long enough to be
 * copied and promoted, and collection took a quarter of the event loop under load
 * (docs/BENCHMARKS.md). apps/gateway/package.json's `start` script spells the same flag.
 */
export const GATEWAY_NODE_FLAGS = ["--max-semi-space-size=64"];
