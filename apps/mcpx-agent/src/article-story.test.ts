import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDb, type Db } from "@lunar/db";
import { publishFlows } from "@lunar/db/postgres";
import { createTestDatabase, createTestPool, type TestDatabase } from "@lunar/db/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "../../gateway/src/server";
import { seedOrgWithKey } from "../../gateway/src/testing/seed";
import { startTestGateway } from "../../gateway/src/testing/test-gateway";
import { type RunningAgent, startAgent } from "./agent-runtime";
import { loopbackOnlyDialer } from "./egress/dialer";
import { EgressManager } from "./egress/egress-manager";
import { FlowsState } from "./egress/flows-state";
import { createReporting, type Reporting } from "./reporter/create-reporting";
import { eventually } from "./reporter/testing/wait-for";
import { writeConfig } from "./testing/fixture-config";
import { guardEnvironment } from "./testing/outbound/interception-harness";
import { type StandInUpstream, startStandInUpstream } from "./testing/outbound/stand-in-upstream";

// The article's story, with every part real: a gateway and Postgres, the org's allowlist published
// in the control plane and pushed to the agent, and a compromised Slack server that also sends
// each message to api.badactor.com. The leak is blocked with the generated 403, never leaves the
// machine, and the attempt is stored as blocked, attributed to the server.
const SLACK_LIKE = fileURLToPath(
  new URL("./testing/outbound/slack-like-server.ts", import.meta.url),
);
const ARTICLE_FLOWS = {
  AllowFilter: {
    processor: "Filter",
    parameters: [{ key: "urls", value: ["slack.com/api/*", "*.googleapis.com/*"] }],
  },
  GenerateResponseForbidden: {
    processor: "GenerateResponse",
    parameters: [
      { key: "status", value: 403 },
      { key: "body", value: "Forbidden Access" },
      { key: "Content-Type", value: "text/plain" },
    ],
  },
};

describe("the article's story: a compromised Slack server is stopped", { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  let pool: pg.Pool;
  let gateway: RunningGateway;
  let upstream: StandInUpstream;
  let reporting: Reporting;
  let agent: RunningAgent;
  let client: Client;
  let org: Awaited<ReturnType<typeof seedOrgWithKey>>;
  let flows: FlowsState;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
    pool = createTestPool(database.url);
    org = await seedOrgWithKey(db, "story");
    gateway = await startTestGateway(database.url);
    await publishFlows(pool, {
      orgId: org.orgId,
      document: ARTICLE_FLOWS,
      createdById: org.userId,
    });
    upstream = await startStandInUpstream({ names: ["slack.com", "api.badactor.com"] });

    const log = pino({ level: process.env.STORY_LOG ?? "silent" });
    const stateDir = await mkdtemp(join(tmpdir(), "mcpx-story-"));
    flows = new FlowsState({
      failClosed: true,
      cachePath: join(stateDir, "flows-cache.json"),
      log,
    });
    reporting = await createReporting({
      stateDir,
      name: "story-laptop",
      spoolMaxBytes: 16 * 1024 * 1024,
      env: { LUNAR_GATEWAY_URL: `http://127.0.0.1:${gateway.port}`, LUNAR_API_KEY: org.apiKey },
      log,
      servers: () => [{ name: "slack", transport: "stdio" }],
      flowsVersion: () => flows.version,
      onFlows: (frame) => {
        if (flows.apply(frame.version, frame.document, "gateway"))
          reporting.flowsApplied(frame.version);
      },
    });
    const egress = await EgressManager.create({
      stateDir,
      flows,
      inspectTls: true,
      noInspect: new Set(),
      resolveOverrides: new Map([
        ["slack.com:443", { address: "127.0.0.1", port: upstream.httpsPort }],
        ["api.badactor.com:443", { address: "127.0.0.1", port: upstream.httpsPort }],
      ]),
      upstreamCAs: [upstream.caPem],
      registryAllowance: false,
      ownPorts: new Set(),
      env: process.env,
      log,
      record: (event) => reporting.events.record(event),
      dialer: loopbackOnlyDialer(),
    });
    agent = await startAgent({
      configPath: await writeConfig({
        slack: {
          command: process.execPath,
          args: ["--import", "tsx", SLACK_LIKE],
          env: guardEnvironment("fetch"),
        },
      }),
      stdio: false,
      http: { port: 0, host: "127.0.0.1" },
      stateDir,
      agentId: reporting.agentId,
      name: reporting.name,
      log,
      env: process.env,
      events: reporting.events,
      egress,
    });
    client = new Client({ name: "claude-desktop-stand-in", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${agent.httpPort}/mcp`)),
    );
  });
  afterAll(async () => {
    await client?.close();
    await agent?.close();
    await reporting?.close();
    await upstream?.close();
    await gateway?.close();
    await pool?.end();
    await db?.$disconnect();
    await database?.drop();
  });

  it("enforces the org's allowlist pushed by the gateway, blocks the leak, and records it", async () => {
    // Fail-closed until the gateway's flows arrive: they arrive on connect.
    await eventually(
      async () => flows.version,
      (version) => version === 1,
      "the org's flows",
      10_000,
    );

    // As an MCP client does: list first (the agent answers once its servers have started).
    const listed = await client.listTools();
    expect(listed.tools.map((tool) => tool.name)).toContain("slack__post_message");

    const result = (await client.callTool({
      name: "slack__post_message",
      arguments: { channel: "#general", text: "quarterly numbers: confidential" },
    })) as { content: { text: string }[] };
    expect(JSON.parse(result.content[0]?.text ?? "{}")).toEqual({ slack: 200, exfiltration: 403 });
    expect(upstream.requests.some((request) => request.host.includes("badactor"))).toBe(false);
    expect(upstream.requests.some((request) => request.path === "/api/chat.postMessage")).toBe(
      true,
    );

    const rows = await eventually(
      async () =>
        (
          await pool.query(
            `SELECT kind, server, host, path, decision, rule, status, correlation_id
             FROM events WHERE org_id = $1 ORDER BY occurred_at`,
            [org.orgId],
          )
        ).rows,
      (found) => found.length >= 3,
      "the three events in Postgres",
      20_000,
    );
    const leak = rows.find((row) => row.host === "api.badactor.com");
    expect(leak).toMatchObject({
      kind: "http_call",
      server: "slack",
      path: "/stea_datal",
      decision: "blocked",
      rule: "org:AllowFilter",
      status: 403,
    });
    expect(rows.find((row) => row.host === "slack.com")).toMatchObject({
      decision: "allowed",
      rule: "org:AllowFilter#0",
    });
    const toolCall = rows.find((row) => row.kind === "tool_call");
    expect(leak.correlation_id).toBe(toolCall.correlation_id);
    const provider = await pool.query(
      "SELECT status FROM providers WHERE org_id = $1 AND host = 'api.badactor.com'",
      [org.orgId],
    );
    expect(provider.rows[0]).toEqual({ status: "unknown" });
    // The message text never left the machine, not even in the report.
    expect(JSON.stringify(rows)).not.toContain("confidential");
  });
});
