// `npm run bench:agent`: the latency the agent adds to a tool call (client → agent → server over
// the agent's stdio front and over its Streamable HTTP front, against client → server directly
// over stdio, in the same run, in alternating rounds), and the agent's memory with three servers
// behind it. Every path calls the same fixture server with the same MCP client.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { AGENT_NODE_FLAGS } from "../src/node-flags";
import { stdioFixture, writeConfig } from "../src/testing/fixture-config";

const CALLS = Number(process.env.BENCH_CALLS ?? 2_000);
const WARMUP = 200;
// The agent as installed: the built bundle (`npm run bench` builds it first). BENCH_AGENT=source
// runs the TypeScript source through tsx instead (bin/mcpx-agent.mjs in a clone), for comparison.
const BIN = fileURLToPath(
  new URL(
    process.env.BENCH_AGENT === "source" ? "../bin/mcpx-agent.mjs" : "../dist/cli.js",
    import.meta.url,
  ),
);

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
const httpPort = await freePort();
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
    "--stdio",
    "--http",
    String(httpPort),
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

// The cost of Streamable HTTP itself: a server of the same SDK over HTTP, in its own process.
const referenceProcess = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    fileURLToPath(new URL("../src/testing/reference-main.ts", import.meta.url)),
    "0",
  ],
  { stdio: ["ignore", "pipe", "ignore"] },
);
const referenceUrl = await new Promise<string>((resolve) =>
  referenceProcess.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim())),
);
const directHttp = new Client({ name: "bench-direct-http", version: "1" });
await directHttp.connect(new StreamableHTTPClientTransport(new URL(referenceUrl)));

const viaHttp = new Client({ name: "bench-agent-http", version: "1" });
await viaHttp.connect(
  new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${httpPort}/mcp`)),
);

// Interleave the paths in rounds so all see the same machine load.
const directSamples: number[] = [];
const agentSamples: number[] = [];
const httpSamples: number[] = [];
const directHttpSamples: number[] = [];
for (let round = 0; round < 4; round++) {
  directHttpSamples.push(...(await measure(directHttp, "test_simple_text")));
  directSamples.push(...(await measure(direct, "echo")));
  agentSamples.push(...(await measure(viaAgent, "alpha__echo")));
  httpSamples.push(...(await measure(viaHttp, "alpha__echo")));
}
for (const samples of [directSamples, agentSamples, httpSamples, directHttpSamples])
  samples.sort((a, b) => a - b);
const agentPid = viaAgentTransport.pid as number;
const rss = rssMiB(agentPid);

const row = (label: string, s: number[]) =>
  `${label.padEnd(40)} p50 ${percentile(s, 0.5).toFixed(3)} ms   p99 ${percentile(s, 0.99).toFixed(3)} ms`;
const added = (label: string, s: number[]) =>
  `${label.padEnd(40)} p50 ${(percentile(s, 0.5) - percentile(directSamples, 0.5)).toFixed(3)} ms   p99 ${(
    percentile(s, 0.99) - percentile(directSamples, 0.99)
  ).toFixed(3)} ms`;
console.log(`tool calls per path: ${directSamples.length} (echo, sequential; server over stdio)`);
console.log(row("client → server (stdio)", directSamples));
console.log(row("client → agent stdio front → server", agentSamples));
console.log(row("client → agent HTTP front → server", httpSamples));
console.log(row("client → server over HTTP (no agent)", directHttpSamples));
console.log(added("added by the agent, stdio front:", agentSamples));
console.log(added("added by the agent, HTTP front:", httpSamples));
console.log(
  `${"HTTP front minus a server over HTTP:".padEnd(40)} p50 ${(percentile(httpSamples, 0.5) - percentile(directHttpSamples, 0.5)).toFixed(3)} ms   p99 ${(
    percentile(httpSamples, 0.99) - percentile(directHttpSamples, 0.99)
  ).toFixed(3)} ms`,
);
console.log(`agent RSS with 3 servers (agent process only): ${rss.toFixed(1)} MiB`);
await viaHttp.close();
await directHttp.close();
referenceProcess.kill();
await viaAgent.close();
await direct.close();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
