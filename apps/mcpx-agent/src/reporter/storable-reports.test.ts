import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPLACEMENT_CHARACTER, ZAgentEvent, ZHelloFrame } from "@lunar/shared";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { startAgent } from "../agent-runtime";
import { stdioFixture, writeConfig } from "../testing/fixture-config";
import { EventSpool } from "./event-spool";
import { GatewayReporter, type GatewayReporterOptions } from "./gateway-reporter";

const log = pino({ level: "silent" });
const AGENT_ID = "00000000-0000-4000-8000-000000000001";

describe("what the agent reports is storable, whatever its MCP servers are named", {
  timeout: 60_000,
}, () => {
  let root: string;
  let spool: EventSpool;
  let cleanups: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "mcpx-storable-"));
    spool = await EventSpool.open({ dir: join(root, "spool"), maxBytes: 1024 * 1024 });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups = [];
    await spool.close();
    await rm(root, { recursive: true, force: true });
  });

  function reporter(options: Partial<GatewayReporterOptions> = {}): GatewayReporter {
    const created = new GatewayReporter({
      gatewayUrl: "http://127.0.0.1:9",
      apiKey: "not-used",
      agentId: AGENT_ID,
      name: "storable-test",
      version: "0.1.0-test",
      spool,
      log,
      servers: () => [],
      flowsVersion: () => null,
      ...options,
    });
    cleanups.push(() => created.stop());
    return created;
  }

  it("spools the call of a tool named with NUL, a lone surrogate and 300 characters, repaired", async () => {
    // Not started: the event is spooled exactly as it would be before sending.
    const events = reporter();
    const agent = await startAgent({
      configPath: await writeConfig({ hostile: stdioFixture("hostile", ["--hostile-tool-name"]) }),
      stdio: false,
      http: { port: 0, host: "127.0.0.1" },
      stateDir: root,
      agentId: AGENT_ID,
      name: "storable-test",
      log,
      env: process.env,
      events,
    });
    cleanups.push(() => agent.close());
    const client = new Client({ name: "storable-test", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${agent.httpPort}/mcp`)),
    );
    cleanups.push(() => client.close());
    const { tools } = await client.listTools();
    const offered = tools.find((tool) => tool.name.startsWith("hostile__nul_lone_"));
    expect(offered, JSON.stringify(tools.map((tool) => tool.name))).toBeDefined();

    const result = await client.callTool({ name: offered?.name as string, arguments: {} });
    expect(result).toMatchObject({ content: [{ type: "text", text: "called" }] });
    await spool.flushed();
    const [event, ...others] = await spool.take(10);
    expect(others).toEqual([]);
    expect(ZAgentEvent.safeParse(event).error).toBeUndefined();
    expect(event).toMatchObject({
      type: "tool_call",
      server: "hostile",
      outcome: "ok",
      tool: `nul${REPLACEMENT_CHARACTER}lone${REPLACEMENT_CHARACTER}${"x".repeat(119)}`,
    });
  });

  it("says hello with a storable name, version and server names", async () => {
    const gateway = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    cleanups.push(() => new Promise((resolve) => gateway.close(resolve)));
    await new Promise((resolve) => gateway.once("listening", resolve));
    const firstFrame = new Promise<unknown>((resolve) =>
      gateway.once("connection", (socket) =>
        socket.once("message", (data) => resolve(JSON.parse(String(data)))),
      ),
    );
    const { port } = gateway.address() as AddressInfo;
    reporter({
      gatewayUrl: `http://127.0.0.1:${port}`,
      name: `host\u0000name${"n".repeat(300)}`,
      version: `1.0\ud800${"v".repeat(100)}`,
      servers: () => [{ name: `srv\udc00${"s".repeat(200)}`, transport: "stdio" }],
    }).start();

    const hello = await firstFrame;
    expect(ZHelloFrame.safeParse(hello).error).toBeUndefined();
    expect(hello).toMatchObject({
      name: `host${REPLACEMENT_CHARACTER}name${"n".repeat(119)}`,
      version: `1.0${REPLACEMENT_CHARACTER}${"v".repeat(60)}`,
      servers: [{ name: `srv${REPLACEMENT_CHARACTER}${"s".repeat(124)}`, transport: "stdio" }],
    });
  });
});
