import { randomUUID } from "node:crypto";
import { addToHistogram, emptyHistogram } from "@lunar/shared";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client";
import { upsertAgentOnHello } from "../events/agents";
import { compactRollups } from "../events/compact-rollups";
import { createTestDatabase, createTestPool, type TestDatabase } from "../testing";
import { listServersTraffic } from "./list-servers-traffic";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// 12:30:15 UTC, as in traffic-rollups.test.ts: 7 and 30 days read the hourly rollups too.
const NOW = Date.UTC(2026, 10, 26, 12, 30, 15);

interface RollupRow {
  org: string;
  at: number;
  kind: "tool_call" | "http_call";
  server: string;
  host?: string;
  durations: number[];
  errors?: number;
  blocked?: number;
}

describe("servers: agents' servers with their tool and outbound traffic in a window", () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: Db;
  let org: string;
  let otherOrg: string;

  /** A rollups_1m row, as the ingest would have written it. */
  async function addRollup(row: RollupRow): Promise<void> {
    const histogram = emptyHistogram();
    for (const ms of row.durations) addToHistogram(histogram, ms);
    await pool.query(
      `INSERT INTO rollups_1m (org_id, bucket, kind, server, host, method, endpoint, count,
         errors, blocked, duration_sum_ms, histogram)
       VALUES ($1, $2, $3, $4, $5, $6, '/x', $7, $8, $9, $10, $11)`,
      [
        row.org,
        new Date(Math.floor(row.at / MINUTE) * MINUTE),
        row.kind,
        row.server,
        row.host ?? "",
        row.kind === "http_call" ? "GET" : "",
        row.durations.length,
        row.errors ?? 0,
        row.blocked ?? 0,
        row.durations.reduce((sum, ms) => sum + ms, 0),
        histogram,
      ],
    );
  }

  const calls = (n: number) => Array.from({ length: n }, () => 10);

  async function addAgent(orgId: string, name: string, servers: unknown[], connected: boolean) {
    const agentId = randomUUID();
    await upsertAgentOnHello(pool, {
      orgId,
      agentId,
      apiKeyId: null as unknown as string,
      name,
      version: "1.0.0",
      servers,
      flowsVersion: null,
      connectionId: "conn",
    });
    // Seen at NOW, the clock these tests read with; a disconnected one has no connection.
    await pool.query(
      "UPDATE agents SET last_seen_at = $3, connection_id = $4 WHERE org_id = $1 AND id = $2",
      [orgId, agentId, new Date(NOW), connected ? "conn" : null],
    );
    return agentId;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createTestPool(database.url);
    db = createDb(database.url);
    const orgs = await pool.query<{ id: string }>(
      "INSERT INTO organizations (name) VALUES ('S'), ('T') RETURNING id",
    );
    org = orgs.rows[0]?.id as string;
    otherOrg = orgs.rows[1]?.id as string;
    await pool.query(
      `INSERT INTO providers (org_id, host, domain, status) VALUES
         ($1, 'api.github.com', 'github.com', 'approved'),
         ($1, 'evil.io', 'evil.io', 'unknown'),
         ($1, 'old.example', 'old.example', 'unknown')`,
      [org],
    );

    await addAgent(
      org,
      "laptop",
      [
        { name: "github", transport: "stdio" },
        { name: "github", transport: "stdio" },
        { name: "idle", transport: "sse" },
      ],
      true,
    );
    await addAgent(org, "ci", [{ name: "github", transport: "http" }], false);
    // What a hello should never hold is skipped, not fatal.
    await addAgent(org, "odd", [{ name: 5 }, "text", { name: "idle", transport: 7 }], false);
    await pool.query("UPDATE agents SET servers = '{\"not\": \"a list\"}' WHERE name = 'ci'");
    await addAgent(org, "ci-2", [{ name: "github", transport: "http" }], false);
    await addAgent(otherOrg, "theirs", [{ name: "their-server", transport: "stdio" }], true);

    // Tool calls of 1..100 ms: exact p50 and p95 are 50 and 95. Outbound counts are powers of
    // two, so every total tells which rows it includes.
    const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);
    const tool = (server: string, at: number, durations: number[], errors = 0): RollupRow => ({
      org,
      kind: "tool_call",
      server,
      at,
      durations,
      errors,
    });
    const out = (server: string, host: string, at: number, n: number, more = {}): RollupRow => ({
      org,
      kind: "http_call",
      server,
      host,
      at,
      durations: calls(n),
      ...more,
    });
    const rows: RollupRow[] = [
      tool("github", NOW - 5 * MINUTE, oneToHundred, 3),
      tool("github", NOW - 3 * DAY, calls(8), 8),
      out("github", "api.github.com", NOW - 10 * MINUTE, 4, { errors: 1 }),
      out("github", "evil.io", NOW - 20 * MINUTE, 2, { blocked: 2 }),
      // Just inside the 24-hour window, and just before it.
      out("github", "api.github.com", NOW - DAY + 5 * MINUTE, 16),
      out("github", "api.github.com", NOW - DAY - 5 * MINUTE, 32),
      out("github", "old.example", NOW - 3 * DAY, 1),
      // Known from traffic only (no agent names it), calling an approved host.
      out("traffic-only", "api.github.com", NOW - MINUTE, 1),
      // A hostile name is data like any other.
      tool("<img src=x onerror=alert(1)>", NOW - MINUTE, calls(1)),
      // Only in 30 days.
      out("ancient", "api.github.com", NOW - 8 * DAY, 64),
      // Another org's, to a host with no provider row there: unknown to that org.
      { ...out("their-traffic", "evil.io", NOW - MINUTE, 1), org: otherOrg },
    ];
    for (const row of rows) await addRollup(row);
    const outcome = await compactRollups(pool, { now: NOW, since: new Date(NOW - 31 * DAY) });
    expect(outcome.skipped).toBe(false);
  });
  afterAll(async () => {
    await pool.end();
    await db.$disconnect();
    await database.drop();
  });

  const list = (window: "24h" | "7d" | "30d", orgId = org) =>
    listServersTraffic(db, orgId, window, new Date(NOW));

  it("24 h: one row per server, those calling unknown hosts first, then by name", async () => {
    const { servers, truncated } = await list("24h");
    expect(truncated).toBe(false);
    expect(servers.map((server) => server.name)).toEqual([
      "github",
      "<img src=x onerror=alert(1)>",
      "idle",
      "traffic-only",
    ]);
  });

  it("per server: transports and agents from hellos, tool calls with percentiles, outbound hosts", async () => {
    const github = (await list("24h")).servers.find((server) => server.name === "github");
    expect(github?.transports).toEqual(["http", "stdio"]);
    // Connected first; the hello that named github twice lists its agent once.
    expect(github?.agents.map(({ name, connected }) => ({ name, connected }))).toEqual([
      { name: "laptop", connected: true },
      { name: "ci-2", connected: false },
    ]);
    expect(github?.toolCalls).toMatchObject({ count: 100, errors: 3 });
    expect(github?.toolCalls.p50Ms).toBeGreaterThan(50 * 0.95);
    expect(github?.toolCalls.p50Ms).toBeLessThan(50 * 1.05);
    expect(github?.toolCalls.p95Ms).toBeGreaterThan(95 * 0.95);
    expect(github?.toolCalls.p95Ms).toBeLessThan(95 * 1.05);
    // 4 + 2 + 16: the row 5 minutes before the window's start is left out.
    expect(github?.outbound).toEqual({
      calls: 22,
      errors: 1,
      blocked: 2,
      hosts: 2,
      unknownHosts: 1,
      unknownHostNames: ["evil.io"],
    });
  });

  it("a server named only in a hello is listed with no traffic; one with traffic only has no agents", async () => {
    const { servers } = await list("24h");
    const idle = servers.find((server) => server.name === "idle");
    expect(idle).toMatchObject({
      transports: ["sse"],
      toolCalls: { count: 0, errors: 0, p50Ms: null, p95Ms: null },
      outbound: { calls: 0, hosts: 0, unknownHosts: 0, unknownHostNames: [] },
    });
    expect(idle?.agents.map((agent) => agent.name)).toEqual(["laptop", "odd"]);
    expect(servers.find((server) => server.name === "traffic-only")).toMatchObject({
      transports: [],
      agents: [],
      outbound: { calls: 1, hosts: 1, unknownHosts: 0 },
    });
  });

  it("7 d adds the days-old calls and hosts from the hourly rollups; 30 d adds older servers", async () => {
    const week = await list("7d");
    const github = week.servers.find((server) => server.name === "github");
    expect(github?.toolCalls).toMatchObject({ count: 108, errors: 11 });
    expect(github?.outbound).toMatchObject({
      calls: 4 + 2 + 16 + 32 + 1,
      hosts: 3,
      unknownHosts: 2,
      unknownHostNames: ["evil.io", "old.example"],
    });
    expect(week.servers.some((server) => server.name === "ancient")).toBe(false);
    const month = await list("30d");
    expect(month.servers.find((server) => server.name === "ancient")?.outbound).toMatchObject({
      calls: 64,
      hosts: 1,
      unknownHosts: 0,
    });
  });

  it("another org sees only its own servers", async () => {
    const { servers } = await list("24h", otherOrg);
    expect(servers.map((server) => server.name)).toEqual(["their-traffic", "their-server"]);
    expect(servers[0]?.outbound).toMatchObject({ calls: 1, unknownHosts: 1 });
    expect((await list("30d", randomUUID())).servers).toEqual([]);
  });
});
