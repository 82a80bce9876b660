import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TAgentEvent } from "@lunar/shared";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAgent, startAgent } from "./agent-runtime";
import { stdioFixture, writeConfig } from "./testing/fixture-config";
import { startHttpFixture } from "./testing/http-fixture";

function textOf(result: unknown): string {
  return ((result as { content: { text: string }[] }).content[0] as { text: string }).text;
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the agent in front of three MCP servers (two stdio, one remote)", {
  timeout: 60_000,
}, () => {
  let agent: RunningAgent;
  let client: Client;
  let remote: Awaited<ReturnType<typeof startHttpFixture>>;
  let configPath: string;
  const events: TAgentEvent[] = [];
  const logLines: string[] = [];

  beforeAll(async () => {
    remote = await startHttpFixture("remote");
    configPath = await writeConfig({
      alpha: stdioFixture("alpha"),
      beta: stdioFixture("beta"),
      remote: { url: remote.url },
    });
    agent = await startAgent({
      configPath,
      stdio: false,
      http: { port: 0, host: "127.0.0.1" },
      stateDir: await mkdtemp(join(tmpdir(), "mcpx-state-")),
      agentId: "00000000-0000-4000-8000-000000000000",
      name: "test",
      log: pino({ level: "info" }, { write: (line: string) => void logLines.push(line) }),
      env: process.env,
      events: { record: (event) => events.push(event) },
    });
    await until(() => agent.pool.list().every((s) => s.isReady), "all servers ready");
    client = new Client({ name: "test-client", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${agent.httpPort}/mcp`)),
    );
  });
  afterAll(async () => {
    await client?.close();
    await agent?.close();
    await remote?.close();
  });

  it("lists every server's tools under <server>__<tool>", async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const server of ["alpha", "beta", "remote"]) {
      expect(names).toEqual(expect.arrayContaining([`${server}__echo`, `${server}__add`]));
    }
    expect(tools.find((t) => t.name === "alpha__add")?.inputSchema).toMatchObject({
      type: "object",
    });
  });

  it("routes each call to its server and records a tool_call event without argument values", async () => {
    for (const server of ["alpha", "beta", "remote"]) {
      expect(
        textOf(await client.callTool({ name: `${server}__echo`, arguments: { text: "hi" } })),
      ).toBe(`${server}:hi`);
    }
    expect(textOf(await client.callTool({ name: "beta__add", arguments: { a: 2, b: 3 } }))).toBe(
      "5",
    );
    const echo = events.find(
      (e) => e.type === "tool_call" && e.server === "remote" && e.tool === "echo",
    );
    expect(echo).toMatchObject({
      outcome: "ok",
      errorType: null,
      argumentBytes: Buffer.byteLength('{"text":"hi"}'),
    });
    expect(JSON.stringify(events)).not.toContain('"hi"');
  });

  it("records a tool error as outcome error", async () => {
    const result = await client.callTool({ name: "alpha__fail", arguments: {} });
    expect(result.isError).toBe(true);
    expect(events.at(-1)).toMatchObject({
      server: "alpha",
      tool: "fail",
      outcome: "error",
      errorType: "tool_error",
    });
  });

  it("passes resources and prompts through", async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining(["fixture://alpha/readme", "fixture://remote/readme"]),
    );
    const read = await client.readResource({ uri: "fixture://beta/readme" });
    expect((read.contents[0] as { text: string }).text).toBe("readme of beta");
    const prompt = await client.getPrompt({ name: "remote__greet", arguments: { who: "Ada" } });
    expect(JSON.stringify(prompt.messages)).toContain("Hello Ada from remote");
  });

  it("a crashing server does not disturb the others, is restarted, and calls meanwhile wait for it", async () => {
    await client.callTool({ name: "alpha__crash", arguments: {} });
    await until(() => !agent.pool.get("alpha")?.isReady, "alpha to be seen down");
    // Made while alpha is down: it waits (bounded) for the restart instead of failing.
    const during = client.callTool({ name: "alpha__echo", arguments: { text: "x" } });
    expect(
      textOf(await client.callTool({ name: "beta__echo", arguments: { text: "still" } })),
    ).toBe("beta:still");
    await until(() => agent.pool.get("alpha")?.isReady ?? false, "alpha restarted");
    expect(textOf(await during)).toBe("alpha:x");
    expect(
      textOf(await client.callTool({ name: "alpha__echo", arguments: { text: "back" } })),
    ).toBe("alpha:back");
    expect(agent.pool.get("alpha")?.status().restarts).toBeGreaterThanOrEqual(1);
  });

  it("applies a config edit: adds, removes and restarts only what changed, and says list_changed", async () => {
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changed++;
    });
    const betaPid = agent.pool.get("beta")?.status().pid;
    await writeFile(
      configPath,
      JSON.stringify({
        mcpServers: {
          beta: stdioFixture("beta"),
          remote: { url: remote.url },
          gamma: stdioFixture("gamma"),
        },
      }),
    );
    await until(
      () => agent.pool.get("gamma")?.isReady === true && !agent.pool.get("alpha"),
      "gamma added, alpha removed",
    );
    await until(() => changed > 0, "a tools/list_changed notification");
    expect(agent.pool.get("beta")?.status().pid).toBe(betaPid);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("gamma__echo");
    expect(names).not.toContain("alpha__echo");
  });

  it("keeps the running servers when the edited config is invalid", async () => {
    await writeFile(configPath, "{ not json");
    await until(
      () => logLines.some((line) => line.includes("config change refused")),
      "the refusal",
    );
    expect(textOf(await client.callTool({ name: "gamma__echo", arguments: { text: "ok" } }))).toBe(
      "gamma:ok",
    );
  });
});
