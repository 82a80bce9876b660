import { fileURLToPath } from "node:url";
import { Client, type ClientOptions } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  LATEST_PROTOCOL_VERSION,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  type Progress,
  ResourceUpdatedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TServerConfig } from "../config/mcp-config-schema";
import { type HttpFront, startHttpFront } from "../front/http-front";
import { UpstreamPool } from "../upstream/upstream-pool";
import type { UpstreamServer } from "../upstream/upstream-server";

// The agent as a transparent MCP proxy: real SDK clients on a real socket to the HTTP front, the
// reference server (src/testing/reference-server.ts) spawned over stdio behind it.

const log = pino({ level: "silent" });
const REFERENCE = fileURLToPath(new URL("../testing/reference-stdio.ts", import.meta.url));

function reference(extraArgs: string[] = [], more: Partial<TServerConfig> = {}): TServerConfig {
  return {
    command: process.execPath,
    args: ["--import", "tsx", REFERENCE, "--extras", ...extraArgs],
    env: {},
    ...more,
  } as TServerConfig;
}

interface Agent {
  pool: UpstreamPool;
  front: HttpFront;
  connect(options?: ClientOptions): Promise<Client>;
  close(): Promise<void>;
}

async function startAgentWith(servers: Record<string, TServerConfig>): Promise<Agent> {
  const pool = new UpstreamPool(log);
  await pool.apply(new Map(Object.entries(servers)));
  const front = await startHttpFront(
    pool,
    { record: () => {} },
    { port: 0, host: "127.0.0.1", log },
  );
  const clients: Client[] = [];
  return {
    pool,
    front,
    async connect(options = {}) {
      const client = new Client({ name: "fidelity-test", version: "1" }, options);
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${front.port}/mcp`)),
      );
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) await client.close().catch(() => {});
      await front.close();
      await pool.stopAll();
    },
  };
}

const textOf = (result: unknown) =>
  ((result as { content: { text?: string }[] }).content[0]?.text ?? "") as string;

describe("the agent passes everything between clients and servers", { timeout: 60_000 }, () => {
  let agent: Agent;
  beforeAll(async () => {
    agent = await startAgentWith({ ref: reference() });
    await agent.pool.settled(30_000);
  });
  afterAll(async () => {
    await agent?.close();
  });

  it("relays progress, so a call longer than the client's timeout succeeds with resetTimeoutOnProgress; two clients' tokens stay apart", async () => {
    const [first, second] = [await agent.connect(), await agent.connect()];
    const call = async (client: Client) => {
      const progress: Progress[] = [];
      const result = await client.callTool(
        { name: "ref__slow_progress", arguments: { durationMs: 4_000, intervalMs: 400 } },
        CallToolResultSchema,
        { timeout: 2_000, resetTimeoutOnProgress: true, onprogress: (p) => progress.push(p) },
      );
      return { text: textOf(result), progress: progress.map((p) => p.progress) };
    };
    const [a, b] = await Promise.all([call(first), call(second)]);
    for (const outcome of [a, b]) {
      expect(outcome.text).toBe("done after 10 steps");
      // Its own steps in order, none of the other client's (that would repeat values). The SDK
      // client may drop the last one: it dispatches notifications a tick after responses, and
      // does so calling the server directly too.
      expect(outcome.progress.slice(0, 9)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(outcome.progress.length).toBeLessThanOrEqual(10);
    }
  });

  it("a 70 s tool that reports progress finishes through the agent under the SDK's default 60 s timeout", {
    timeout: 120_000,
  }, async () => {
    // The reproduction as it was: on main before the relay, this call timed out at 60 s
    // through the agent while it finished when called directly.
    const client = await agent.connect();
    const started = Date.now();
    const result = await client.callTool(
      { name: "ref__slow_progress", arguments: { durationMs: 70_000, intervalMs: 5_000 } },
      CallToolResultSchema,
      { resetTimeoutOnProgress: true, onprogress: () => {} },
    );
    expect(textOf(result)).toBe("done after 14 steps");
    expect(Date.now() - started).toBeGreaterThanOrEqual(70_000);
  });

  it("relays a server's sampling and elicitation requests mid-call to the client that made the call", async () => {
    const client = await agent.connect({ capabilities: { sampling: {}, elicitation: {} } });
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => ({
      model: "test-model",
      role: "assistant",
      content: {
        type: "text",
        text: `echo ${JSON.stringify(request.params.messages.map((m) => (m.content as { text?: string }).text))}`,
      },
    }));
    client.setRequestHandler(ElicitRequestSchema, async () => ({
      action: "accept",
      content: { response: "yes" },
    }));
    const sampled = await client.callTool({
      name: "ref__test_sampling",
      arguments: { prompt: "hello" },
    });
    expect(textOf(sampled)).toBe('LLM response: echo ["hello"]');
    const elicited = await client.callTool({
      name: "ref__test_elicitation",
      arguments: { message: "ok?" },
    });
    expect(textOf(elicited)).toBe('User response: action=accept, content={"response":"yes"}');
  });

  it("sends a server's request to the client whose call is in flight, not to another client that could answer", async () => {
    const answering = (who: string) => async () => ({
      model: who,
      role: "assistant" as const,
      content: { type: "text" as const, text: who },
    });
    const caller = await agent.connect({ capabilities: { sampling: {} } });
    caller.setRequestHandler(CreateMessageRequestSchema, answering("caller"));
    // Connected last: the one a request with no call in flight would go to.
    const bystander = await agent.connect({ capabilities: { sampling: {} } });
    bystander.setRequestHandler(CreateMessageRequestSchema, answering("bystander"));
    const result = await caller.callTool({
      name: "ref__test_sampling",
      arguments: { prompt: "?" },
    });
    expect(textOf(result)).toBe("LLM response: caller");
  });

  it("relays roots/list to a client that declares roots", async () => {
    const client = await agent.connect({ capabilities: { roots: { listChanged: true } } });
    client.setRequestHandler(ListRootsRequestSchema, async () => ({
      roots: [{ uri: "file:///work/project", name: "project" }],
    }));
    expect(textOf(await client.callTool({ name: "ref__ask_roots", arguments: {} }))).toBe(
      "file:///work/project",
    );
  });

  it("forwards completion/complete to the prompt's server under its own name", async () => {
    const client = await agent.connect();
    const { completion } = await client.complete({
      ref: { type: "ref/prompt", name: "ref__test_prompt_with_arguments" },
      argument: { name: "arg1", value: "al" },
    });
    expect(completion.values).toEqual(["alpha"]);
  });

  it("forwards resources/subscribe and brings notifications/resources/updated back to the subscriber", async () => {
    const client = await agent.connect();
    const updated = new Promise<string>((resolve) =>
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) =>
        resolve(n.params.uri),
      ),
    );
    await client.subscribeResource({ uri: "test://watched-resource" });
    expect(
      textOf(
        await client.callTool({
          name: "ref__touch",
          arguments: { uri: "test://watched-resource" },
        }),
      ),
    ).toBe("touched");
    expect(await updated).toBe("test://watched-resource");
    await client.unsubscribeResource({ uri: "test://watched-resource" });
    const seen = JSON.parse(textOf(await client.callTool({ name: "ref__seen", arguments: {} })));
    expect(seen.subscriptions).toEqual([]);
  });

  it("forwards logging/setLevel to the server and the server's log messages at or above it", async () => {
    const client = await agent.connect();
    const messages: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      messages.push(`${n.params.level}:${n.params.data}`);
    });
    await client.setLoggingLevel("warning");
    await client.callTool({ name: "ref__log_each_level", arguments: {} });
    expect(messages).toEqual(["warning:warning message", "error:error message"]);
    const seen = JSON.parse(textOf(await client.callTool({ name: "ref__seen", arguments: {} })));
    expect(seen.logLevel).toBe("warning");
  });

  it("forwards a client's cancellation to the server running the call", async () => {
    const client = await agent.connect();
    const controller = new AbortController();
    const call = client.callTool({ name: "ref__wait_for_cancel", arguments: {} }, undefined, {
      signal: controller.signal,
      // The server reports progress once the call reached it: then it is cancelled.
      onprogress: () => controller.abort("changed my mind"),
    });
    await expect(call).rejects.toThrow(/changed my mind|abort/i);
    const seen = JSON.parse(textOf(await client.callTool({ name: "ref__seen", arguments: {} })));
    expect(seen.cancelled).toBe(1);
  });

  it("keeps the MCP protocol version agreed with each server, for mcpx-agent status", () => {
    expect(agent.pool.get("ref")?.status().protocolVersion).toBe(LATEST_PROTOCOL_VERSION);
  });

  it("reads a static resource from a fresh session that never listed resources", async () => {
    const client = await agent.connect();
    const read = await client.readResource({ uri: "test://static-text" });
    expect(read.contents[0]).toMatchObject({
      text: "This is the content of the static text resource.",
    });
  });
});

describe("servers still starting, and unprefixed names", { timeout: 60_000 }, () => {
  it("a call made right after initialize waits for a server that is still starting", async () => {
    const agent = await startAgentWith({ slow: reference(["--start-delay-ms", "1500"]) });
    try {
      const client = await agent.connect();
      expect(agent.pool.get("slow")?.currentState).toBe("starting");
      const result = await client.callTool({ name: "slow__test_simple_text", arguments: {} });
      expect(textOf(result)).toBe("This is a simple text response for testing.");
      const prompt = await client.getPrompt({ name: "slow__test_simple_prompt" });
      expect(prompt.messages).toHaveLength(1);
    } finally {
      await agent.close();
    }
  });

  it("answers a server's sampling request with a clear MCP error when no connected client can take it", async () => {
    const agent = await startAgentWith({ ref: reference() });
    try {
      const client = await agent.connect(); // declares no sampling
      const result = await client.callTool({
        name: "ref__test_sampling",
        arguments: { prompt: "x" },
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(
        /No MCP client connected to the agent can answer sampling\/createMessage: none declares the sampling capability/,
      );
    } finally {
      await agent.close();
    }
  });

  it("says how long it waited, and that the server is still starting, when the wait runs out", async () => {
    const agent = await startAgentWith({ slow: reference(["--start-delay-ms", "5000"]) });
    try {
      await expect((agent.pool.get("slow") as UpstreamServer).waitForClient(200)).rejects.toThrow(
        'MCP server "slow" is still starting; waited 0.2 s',
      );
    } finally {
      await agent.close();
    }
  });

  it('offers a "prefix": false server\'s tools under their own names, and refuses a second one whose names clash', async () => {
    const agent = await startAgentWith({
      plain: reference([], { prefix: false }),
    });
    try {
      await agent.pool.settled(30_000);
      await agent.pool.apply(
        new Map([
          ["plain", reference([], { prefix: false })],
          ["again", reference([], { prefix: false })],
        ]),
      );
      await agent.pool.settled(30_000);
      const client = await agent.connect();
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain("test_simple_text");
      expect(names.filter((name) => name === "test_simple_text")).toHaveLength(1);
      expect(agent.pool.get("again")?.status()).toMatchObject({
        state: "failed",
        lastError: expect.stringMatching(/"test_simple_text" of server "again" clashes .*"plain"/),
      });
    } finally {
      await agent.close();
    }
  });
});
