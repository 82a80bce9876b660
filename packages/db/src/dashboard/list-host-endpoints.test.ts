import { randomUUID } from "node:crypto";
import type { THttpCallEvent } from "@lunar/shared";
import { httpCall as sampleHttpCall } from "@lunar/shared/testing";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client";
import { compactRollups } from "../events/compact-rollups";
import { ensureEventPartitions } from "../events/event-partitions";
import { ingestEvents } from "../events/ingest-events";
import { createTestDatabase, createTestPool, type TestDatabase } from "../testing";
import { listHostEndpoints, MAX_HOST_ENDPOINTS_LISTED } from "./list-host-endpoints";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const HOST = "api.example.com";

function httpCall(overrides: Partial<THttpCallEvent> = {}): THttpCallEvent {
  return sampleHttpCall({ host: HOST, durationMs: 10, ...overrides });
}

describe("host endpoints: one host's endpoints with their traffic in a window", () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: Db;
  let org: string;
  let otherOrg: string;
  const threeDaysAgo = Date.now() - 3 * DAY;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createTestPool(database.url);
    db = createDb(database.url);
    await ensureEventPartitions(pool, { daysBack: 4, daysAhead: 1 });
    const orgs = await pool.query<{ id: string }>(
      "INSERT INTO organizations (name) VALUES ('A'), ('B') RETURNING id",
    );
    org = orgs.rows[0]?.id as string;
    otherOrg = orgs.rows[1]?.id as string;
    const now = Date.now();
    // 1..100 ms over two servers: exact p50 and p95 are 50 and 95; 3 server errors among them.
    const users = Array.from({ length: 100 }, (_, i) =>
      httpCall({
        method: "GET",
        path: `/v1/users/${i + 1}?page=2`,
        server: i % 2 === 0 ? "github" : "slack",
        durationMs: i + 1,
        status: i < 3 ? 500 : 200,
        ts: now - (i % 3) * MINUTE,
      }),
    );
    await ingestEvents(pool, [
      {
        orgId: org,
        agentId: randomUUID(),
        events: [
          ...users,
          httpCall({ method: "POST", path: "/v1/upload", server: "github" }),
          httpCall({
            method: "POST",
            path: "/v1/upload",
            server: "github",
            decision: "blocked",
            rule: "org:Blocked#0",
            status: null,
          }),
          // Seen, but not in the last 24 hours.
          httpCall({ method: "DELETE", path: "/v1/old/42", ts: threeDaysAgo }),
          httpCall({ host: "other.example", path: "/not/this/host" }),
        ],
      },
      {
        orgId: otherOrg,
        agentId: randomUUID(),
        events: [
          httpCall({ method: "GET", path: "/v1/users/7", server: "theirs" }),
          httpCall({ method: "PUT", path: "/theirs/only" }),
          httpCall({ host: "b-only.example" }),
        ],
      },
    ]);
    // The days-old call's hour into rollups_1h, which the 7-day window reads.
    const outcome = await compactRollups(pool, { since: new Date(threeDaysAgo - DAY) });
    expect(outcome.skipped).toBe(false);
    await db.provider.update({
      where: { orgId_host: { orgId: org, host: HOST } },
      data: { status: "approved" },
    });
  });
  afterAll(async () => {
    await pool.end();
    await db.$disconnect();
    await database.drop();
  });

  it("24 h: the host's provider row and its endpoints, most calls first, then method and template", async () => {
    const listed = await listHostEndpoints(db, org, HOST, "24h");
    expect(listed?.provider).toEqual({ host: HOST, domain: "example.com", status: "approved" });
    expect(listed?.truncated).toBe(false);
    expect(listed?.endpoints.map(({ method, template }) => `${method} ${template}`)).toEqual([
      "GET /v1/users/{id}",
      "POST /v1/upload",
      "DELETE /v1/old/{id}",
    ]);
  });

  it("per endpoint: calls, errors, blocked, merged-histogram percentiles and the servers", async () => {
    const { endpoints } = (await listHostEndpoints(db, org, HOST, "24h")) ?? { endpoints: [] };
    const [users, upload] = endpoints;
    expect(users).toMatchObject({
      calls: 100,
      errors: 3,
      blocked: 0,
      servers: ["github", "slack"],
      serverCount: 2,
    });
    // Histogram percentiles are within 5% of the exact ones.
    expect(users?.p50Ms).toBeGreaterThan(50 * 0.95);
    expect(users?.p50Ms).toBeLessThan(50 * 1.05);
    expect(users?.p95Ms).toBeGreaterThan(95 * 0.95);
    expect(users?.p95Ms).toBeLessThan(95 * 1.05);
    expect(users?.firstSeenAt).toBeInstanceOf(Date);
    // A blocked call is not an error.
    expect(upload).toMatchObject({ calls: 2, errors: 0, blocked: 1, servers: ["github"] });
  });

  it("an endpoint without traffic in the window is listed with zero calls and its dates", async () => {
    const old = (await listHostEndpoints(db, org, HOST, "24h"))?.endpoints.find(
      (endpoint) => endpoint.method === "DELETE",
    );
    expect(old).toMatchObject({
      template: "/v1/old/{id}",
      calls: 0,
      errors: 0,
      blocked: 0,
      p50Ms: null,
      p95Ms: null,
      servers: [],
      serverCount: 0,
    });
    expect(old?.firstSeenAt?.getTime()).toBe(threeDaysAgo);
    expect(old?.lastSeenAt?.getTime()).toBe(threeDaysAgo);
    // The 7-day window reads it from the hourly rollups.
    const week = await listHostEndpoints(db, org, HOST, "7d");
    expect(week?.endpoints.find((endpoint) => endpoint.method === "DELETE")).toMatchObject({
      calls: 1,
      servers: ["slack"],
    });
    expect(week?.endpoints[0]).toMatchObject({ template: "/v1/users/{id}", calls: 100 });
  });

  it("another org sees only its own endpoints of the same host; a host never called is null", async () => {
    const theirs = await listHostEndpoints(db, otherOrg, HOST, "30d");
    expect(theirs?.provider.status).toBe("unknown");
    expect(theirs?.endpoints).toMatchObject([
      { method: "GET", template: "/v1/users/{id}", calls: 1, servers: ["theirs"] },
      { method: "PUT", template: "/theirs/only", calls: 1 },
    ]);
    expect(await listHostEndpoints(db, org, "b-only.example", "30d")).toBeNull();
    expect(await listHostEndpoints(db, randomUUID(), HOST, "30d")).toBeNull();
  });

  it("lists at most 1,000 endpoints and says so", async () => {
    await pool.query(
      `INSERT INTO endpoints (org_id, host, method, template)
       SELECT $1, 'many.example', 'GET', '/e/' || lpad(i::text, 4, '0')
       FROM generate_series(1, $2::int) AS i`,
      [org, MAX_HOST_ENDPOINTS_LISTED + 1],
    );
    const many = await listHostEndpoints(db, org, "many.example", "24h");
    expect(many?.truncated).toBe(true);
    expect(many?.endpoints).toHaveLength(MAX_HOST_ENDPOINTS_LISTED);
    expect(many?.endpoints[0]?.template).toBe("/e/0001");
    // No provider row (never written without traffic): the host counts as unknown.
    expect(many?.provider).toEqual({
      host: "many.example",
      domain: "many.example",
      status: "unknown",
    });
  });
});
