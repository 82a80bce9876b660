/**
 * Node flags the agent runs with. bin/mcpx-agent.mjs spells them in its `#!/usr/bin/env -S node`
 * line (a test keeps the two equal); whatever starts the agent with `node bin/mcpx-agent.mjs`
 * (the demo, the benchmarks) passes them itself.
 *
 * - `--no-memory-reducer`: V8's memory reducer runs full collections (4–20 ms here) to shrink a
 *   heap of ~30 MiB whenever allocation looks slow; in a proxy those are pauses on every request
 *   in flight, and they were most of the egress proxy's p99 (docs/BENCHMARKS.md).
 * - `--max-semi-space-size=4`: a small young generation, collected more often in shorter pauses.
 */
export const AGENT_NODE_FLAGS = ["--no-memory-reducer", "--max-semi-space-size=4"];
