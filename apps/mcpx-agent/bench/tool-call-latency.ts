// `npm run bench:agent`: the latency the agent adds to a tool call (client → agent → server
// against client → server directly, in the same run, both over stdio), and the agent's memory
// with three servers behind it. Both paths use the same fixture server and the same MCP client.
import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { AGENT_NODE_FLAGS } from "../src/node-flags";
import { stdioFixture, writeConfig } from "../src/testing/fixture-config";

const CALLS = Number(process.env.BENCH_CALLS ?? 2_000);
const WARMUP = 200;
const BIN = fileURLToPath(new URL("../bin/mcpx-agent.mjs", import.meta.url));

function percentile(sorted: number[], q: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  ] as number;
}

async function measure(client: Client, tool: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + CALLS; i++) {
    const started = performance.now();
    await client.callTool({ name: tool, arguments: { text: `call-${i}` } });
    if (i >= WARMUP) samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b);
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const direct = new Client({ name: "bench-direct", version: "1" });
const fixture = stdioFixture("alpha");
await direct.connect(new StdioClientTransport({ ...fixture, stderr: "ignore" }));

const config = await writeConfig({
  alpha: stdioFixture("alpha"),
  beta: stdioFixture("beta"),
  gamma: stdioFixture("gamma"),
});
const stateDir = await mkdtemp(join(tmpdir(), "mcpx-bench-"));
const viaAgentTransport = new StdioClientTransport({
  command: process.execPath,
  args: [
    ...AGENT_NODE_FLAGS,
    BIN,
    "start",
    "--config",
    config,
    "--state-dir",
    stateDir,
    "--log-level",
    "warn",
  ],
  env: { ...(process.env as Record<string, string>), LUNAR_GATEWAY_URL: "", LUNAR_API_KEY: "" },
  stderr: "ignore",
});
const viaAgent = new Client({ name: "bench-agent", version: "1" });
await viaAgent.connect(viaAgentTransport);
for (let i = 0; i < 300; i++) {
  const tools = (await viaAgent.listTools()).tools.map((t) => t.name);
  if (["alpha", "beta", "gamma"].every((s) => tools.includes(`${s}__echo`))) break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}

// Interleave the two paths in rounds so both see the same machine load.
const directSamples: number[] = [];
const agentSamples: number[] = [];
for (let round = 0; round < 4; round++) {
  directSamples.push(...(await measure(direct, "echo")));
  agentSamples.push(...(await measure(viaAgent, "alpha__echo")));
}
directSamples.sort((a, b) => a - b);
agentSamples.sort((a, b) => a - b);
const agentPid = viaAgentTransport.pid as number;
const rss = rssMiB(agentPid);

const row = (label: string, s: number[]) =>
  `${label.padEnd(28)} p50 ${percentile(s, 0.5).toFixed(3)} ms   p99 ${percentile(s, 0.99).toFixed(3)} ms`;
console.log(`tool calls per path: ${directSamples.length} (echo, over stdio, sequential)`);
console.log(row("client → server", directSamples));
console.log(row("client → agent → server", agentSamples));
console.log(
  `added by the agent:          p50 ${(percentile(agentSamples, 0.5) - percentile(directSamples, 0.5)).toFixed(3)} ms   p99 ${(
    percentile(agentSamples, 0.99) - percentile(directSamples, 0.99)
  ).toFixed(3)} ms`,
);
console.log(`agent RSS with 3 servers (agent process only): ${rss.toFixed(1)} MiB`);
await viaAgent.close();
await direct.close();
