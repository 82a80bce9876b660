import { randomUUID } from "node:crypto";
import type { TAgentEvent } from "@lunar/shared";
import { httpCall as sampleHttpCall, toolCall as sampleToolCall } from "@lunar/shared/testing";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client";
import { upsertAgentOnHello } from "../events/agents";
import { ensureEventPartitions } from "../events/event-partitions";
import { ingestEvents } from "../events/ingest-events";
import { createTestDatabase, createTestPool, type TestDatabase } from "../testing";
import { getOverview } from "./get-overview";
import { listAgents } from "./list-agents";
import { listProvidersTraffic } from "./list-providers-traffic";
import { listRecentEvents } from "./list-recent-events";

// The shared sample events, with the values these tests assert on.
function httpCall(overrides: Partial<Extract<TAgentEvent, { type: "http_call" }>> = {}) {
  return sampleHttpCall({ durationMs: 10, bytesIn: 1, bytesOut: 1, ...overrides });
}

function toolCall(ts = Date.now()): TAgentEvent {
  return sampleToolCall({ ts, argumentBytes: 1 });
}

describe("dashboard queries", () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: Db;
  let orgA: string;
  let orgB: string;
  const agentId = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createTestPool(database.url);
    db = createDb(database.url);
    await ensureEventPartitions(pool, { daysBack: 3, daysAhead: 1 });
    const orgs = await pool.query<{ id: string }>(
      "INSERT INTO organizations (name) VALUES ('A'), ('B') RETURNING id",
    );
    orgA = orgs.rows[0]?.id as string;
    orgB = orgs.rows[1]?.id as string;
    const now = Date.now();
    const slack = Array.from({ length: 100 }, (_, i) =>
      httpCall({ durationMs: i + 1, ts: now - (i % 3) * 60_000 }),
    );
    await ingestEvents(pool, [
      {
        orgId: orgA,
        agentId,
        events: [
          ...slack,
          httpCall({ host: "evil.io", status: 403, decision: "blocked", rule: "org:Allow" }),
          httpCall({ host: "api.github.com", status: 500 }),
          httpCall({ host: "old.example", ts: now - 26 * 3_600_000 }),
          toolCall(),
          toolCall(now - 2 * 60_000),
        ],
      },
      { orgId: orgB, agentId: randomUUID(), events: [httpCall({ host: "b-only.example" })] },
    ]);
  });
  afterAll(async () => {
    await pool.end();
    await db.$disconnect();
    await database.drop();
  });

  it("providers: 24-hour totals and merged-histogram percentiles per host, unknown first", async () => {
    await db.provider.update({
      where: { orgId_host: { orgId: orgA, host: "api.github.com" } },
      data: { status: "approved" },
    });
    const rows = await listProvidersTraffic(db, orgA);
    expect(rows.map((row) => row.host)).toEqual([
      "evil.io",
      "old.example",
      "slack.com",
      "api.github.com",
    ]);
    const slack = rows.find((row) => row.host === "slack.com");
    expect(slack).toMatchObject({ domain: "slack.com", calls: 100, errors: 0, blocked: 0 });
    // Exact p50 and p95 of 1..100 ms are 50 and 95; histogram percentiles are within 5%.
    expect(slack?.p50Ms).toBeGreaterThan(50 * 0.95);
    expect(slack?.p50Ms).toBeLessThan(50 * 1.05);
    expect(slack?.p95Ms).toBeGreaterThan(95 * 0.95);
    expect(slack?.p95Ms).toBeLessThan(95 * 1.05);
    expect(rows.find((row) => row.host === "evil.io")).toMatchObject({ calls: 1, blocked: 1 });
    expect(rows.find((row) => row.host === "api.github.com")).toMatchObject({ errors: 1 });
    // Seen, but not in the last 24 hours: listed with no traffic.
    expect(rows.find((row) => row.host === "old.example")).toMatchObject({ calls: 0, p95Ms: null });
    expect((await listProvidersTraffic(db, orgB)).map((row) => row.host)).toEqual([
      "b-only.example",
    ]);
  });

  it("recent events: last 24 hours only, newest first, filtered, limited, this org only", async () => {
    const all = await listRecentEvents(db, orgA, { limit: 500 });
    expect(all).toHaveLength(104);
    expect(all.some((event) => event.host === "old.example")).toBe(false);
    const times = all.map((event) => event.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    const blocked = await listRecentEvents(db, orgA, { decision: "blocked", limit: 10 });
    expect(blocked).toMatchObject([{ host: "evil.io", rule: "org:Allow", status: 403 }]);
    expect(await listRecentEvents(db, orgA, { host: "EVIL.IO", limit: 10 })).toHaveLength(1);
    expect(await listRecentEvents(db, orgA, { kind: "tool_call", limit: 10 })).toHaveLength(2);
    expect(await listRecentEvents(db, orgA, { limit: 3 })).toHaveLength(3);
    // An endpoint names an outbound call's template or a tool call's tool, as in the live stream.
    const endpoint = "/api/chat.postMessage";
    const slackCalls = await listRecentEvents(db, orgA, {
      host: "slack.com",
      endpoint,
      limit: 500,
    });
    expect(slackCalls).toHaveLength(100);
    expect(slackCalls.every((event) => event.endpoint === endpoint)).toBe(true);
    const tools = await listRecentEvents(db, orgA, { endpoint: "post_message", limit: 10 });
    expect(tools.map((event) => event.kind)).toEqual(["tool_call", "tool_call"]);
    expect(await listRecentEvents(db, orgA, { endpoint: "/nothing", limit: 10 })).toEqual([]);
    expect(await listRecentEvents(db, orgB, { host: "evil.io", limit: 10 })).toEqual([]);
  });

  it("overview: totals, unknown hosts, connected agents and the last hour per minute", async () => {
    await upsertAgentOnHello(pool, {
      orgId: orgA,
      agentId,
      apiKeyId: null as unknown as string,
      name: "laptop",
      version: "1.0.0",
      servers: [{ name: "slack", transport: "stdio" }],
      flowsVersion: 3,
      connectionId: "conn-1",
    });
    const overview = await getOverview(db, orgA);
    expect(overview.hasTraffic).toBe(true);
    expect(overview.last24h).toEqual({
      toolCalls: 2,
      outboundCalls: 102,
      blocked: 1,
      unknownHosts: 2, // slack.com and evil.io (api.github.com is approved, old.example is old)
    });
    expect(overview.connectedAgents).toBe(1);
    expect(overview.perMinute).toHaveLength(60);
    const sum = overview.perMinute.reduce((total, point) => total + point.outboundCalls, 0);
    expect(sum).toBe(102);
    expect(overview.perMinute.reduce((total, point) => total + point.toolCalls, 0)).toBe(2);

    const other = await getOverview(db, randomUUID());
    expect(other).toMatchObject({ hasTraffic: false, connectedAgents: 0 });
    expect(other.last24h.outboundCalls).toBe(0);
  });

  it("agents: connected means a live connection and a recent heartbeat", async () => {
    const [agent] = await listAgents(db, orgA);
    expect(agent).toMatchObject({
      name: "laptop",
      connected: true,
      flowsVersion: 3,
      servers: [{ name: "slack", transport: "stdio" }],
    });
    expect((await listAgents(db, orgA, new Date(Date.now() + 120_000)))[0]?.connected).toBe(false);
    await pool.query("UPDATE agents SET connection_id = NULL WHERE org_id = $1", [orgA]);
    expect((await listAgents(db, orgA))[0]?.connected).toBe(false);
    expect(await listAgents(db, orgB)).toEqual([]);
  });
});
