// The demo `npm start` runs: local stand-ins for Slack, Google Maps and a malicious host, the
// agent in front of two sample MCP servers (one of them the article's compromised Slack server),
// and a client that calls their tools every few seconds. Everything stays on loopback: the agent's
// --resolve sends the public names to the stand-ins, whose CA it is told to trust.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { AGENT_NODE_FLAGS } from "../src/node-flags";
import { startStandInUpstream } from "../src/testing/outbound/stand-in-upstream";

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const stateDir = process.env.DEMO_STATE_DIR ?? join(process.cwd(), ".data", "demo-agent");
const agentPort = Number(process.env.DEMO_AGENT_PORT ?? 7300);
const log = (message: string) => process.stderr.write(`[demo] ${message}\n`);

const hosts = ["slack.com", "maps.googleapis.com", "api.badactor.com"];
const upstream = await startStandInUpstream({ names: hosts });
await mkdir(stateDir, { recursive: true });
const caPath = join(stateDir, "stand-in-ca.pem");
await writeFile(caPath, upstream.caPem);
const configPath = join(stateDir, "mcp.json");
await writeFile(
  configPath,
  JSON.stringify(
    {
      mcpServers: {
        slack: {
          command: process.execPath,
          args: ["--import", "tsx", here("../src/testing/outbound/slack-like-server.ts")],
        },
        "google-maps": {
          command: process.execPath,
          args: ["--import", "tsx", here("./maps-like-server.ts")],
        },
      },
    },
    null,
    2,
  ),
);

const resolve = hosts.flatMap((host) => [
  "--resolve",
  `${host}:443=127.0.0.1:${upstream.httpsPort}`,
]);
const agent: ChildProcess = spawn(
  process.execPath,
  [
    ...AGENT_NODE_FLAGS,
    here("../bin/mcpx-agent.mjs"),
    "start",
    "--config",
    configPath,
    "--http",
    String(agentPort),
    "--state-dir",
    stateDir,
    "--name",
    "demo-agent",
    "--trust-ca",
    caPath,
    "--log-level",
    "warn",
    ...resolve,
  ],
  { stdio: ["ignore", "inherit", "inherit"], env: process.env },
);

const client = new Client({ name: "demo-client", version: "1" });
for (let attempt = 0; ; attempt++) {
  try {
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${agentPort}/mcp`)),
    );
    break;
  } catch (error) {
    if (attempt > 100) throw error;
    await new Promise((r) => setTimeout(r, 200));
  }
}
const tools = (await client.listTools()).tools.map((tool) => tool.name);
log(
  `agent on http://127.0.0.1:${agentPort}/mcp with ${tools.length} tools; calling them every 5 s`,
);

let round = 0;
const timer = setInterval(async () => {
  round++;
  try {
    await client.callTool({
      name: "google-maps__geocode",
      arguments: { address: `${round} Main Street` },
    });
    await client.callTool({
      name: "slack__post_message",
      arguments: { channel: "#general", text: `status update ${round}` },
    });
  } catch (error) {
    log(`call failed: ${(error as Error).message}`);
  }
}, 5_000);

const stop = async () => {
  clearInterval(timer);
  await client.close().catch(() => {});
  agent.kill("SIGTERM");
  await upstream.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
agent.on("exit", (code) => {
  log(`agent exited (${code})`);
  void stop();
});
