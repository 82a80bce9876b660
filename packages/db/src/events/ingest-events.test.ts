import { randomUUID } from "node:crypto";
import type { TAgentEvent } from "@lunar/shared";
import { httpCall as sampleHttpCall, toolCall as sampleToolCall } from "@lunar/shared/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, createTestPool, type TestDatabase } from "../testing";
import { ensureEventPartitions } from "./event-partitions";
import { ENDPOINTS_PER_HOST_CAP, ingestEvents, OVERFLOW_ENDPOINT } from "./ingest-events";

// The shared sample events, with the values these tests assert on.
function httpCall(
  overrides: Partial<Extract<TAgentEvent, { type: "http_call" }>> = {},
): TAgentEvent {
  return sampleHttpCall({ id: randomUUID(), bytesOut: 50, ...overrides });
}

function toolCall(): TAgentEvent {
  return sampleToolCall({
    id: randomUUID(),
    correlationId: "c1",
    durationMs: 30,
    argumentBytes: 42,
  });
}

describe("ingestEvents", () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let orgA: string;
  let orgB: string;
  const agentId = randomUUID();

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const { rows } = await pool.query<{ n: string }>(sql, params);
    return Number(rows[0]?.n);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createTestPool(database.url);
    await ensureEventPartitions(pool, { daysBack: 8, daysAhead: 1 });
    const orgs = await pool.query<{ id: string }>(
      "INSERT INTO organizations (name) VALUES ('A'), ('B') RETURNING id",
    );
    orgA = orgs.rows[0]?.id as string;
    orgB = orgs.rows[1]?.id as string;
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it("stores a batch once: the same batch sent again counts as duplicates", async () => {
    const events = [httpCall(), httpCall(), toolCall()];
    const first = await ingestEvents(pool, [{ orgId: orgA, agentId, events }]);
    expect(first.results[0]).toMatchObject({ stored: 3, duplicates: 0 });
    const again = await ingestEvents(pool, [{ orgId: orgA, agentId, events }]);
    expect(again.results[0]).toMatchObject({ stored: 0, duplicates: 3 });
    const ids = events.map((e) => e.id);
    expect(await count("SELECT count(*) AS n FROM events WHERE event_id = ANY($1)", [ids])).toBe(3);
  });

  it("stores a redelivered event once even when the agent's clock moved it to another day", async () => {
    const event = httpCall({ ts: Date.now() - 3 * 86_400_000 });
    await ingestEvents(pool, [{ orgId: orgA, agentId, events: [event] }]);
    const moved = { ...event, ts: Date.now() };
    const again = await ingestEvents(pool, [{ orgId: orgA, agentId, events: [moved] }]);
    expect(again.results[0]).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await count("SELECT count(*) AS n FROM events WHERE event_id = $1", [event.id])).toBe(1);
  });

  it("stores only the new events of a batch that partly repeats earlier ones, across items", async () => {
    const old = [httpCall(), toolCall()];
    await ingestEvents(pool, [{ orgId: orgA, agentId, events: old }]);
    const fresh = [httpCall(), httpCall()];
    const outcome = await ingestEvents(pool, [
      { orgId: orgA, agentId, events: [fresh[0], old[0]] as TAgentEvent[] },
      { orgId: orgA, agentId, events: [old[1], fresh[1]] as TAgentEvent[] },
    ]);
    expect(outcome.results.map(({ stored, duplicates }) => ({ stored, duplicates }))).toEqual([
      { stored: 1, duplicates: 1 },
      { stored: 1, duplicates: 1 },
    ]);
    const ids = [...old, ...fresh].map((e) => e.id);
    expect(await count("SELECT count(*) AS n FROM events WHERE event_id = ANY($1)", [ids])).toBe(4);
  });

  it("stores every field verbatim, whatever commas, quotes, newlines or empty strings it holds", async () => {
    const nasty = 'a,"b"\nc\r,""';
    const http = httpCall({
      server: nasty,
      correlationId: "",
      path: `/x,"y"\n?q=${nasty}`,
      rule: nasty,
      networkError: "",
      status: null,
      durationMs: 0.000001,
    });
    const tool = {
      ...(toolCall() as Extract<TAgentEvent, { type: "tool_call" }>),
      tool: nasty,
      errorType: "",
      outcome: "error" as const,
    };
    const outcome = await ingestEvents(pool, [{ orgId: orgA, agentId, events: [http, tool] }]);
    expect(outcome.results[0]).toMatchObject({ stored: 2, duplicates: 0 });
    const { rows } = await pool.query(
      `SELECT event_id, server, correlation_id, path, rule, network_error, status, duration_ms,
              tool, error_type, outcome, argument_bytes, inspected, host, port
       FROM events WHERE event_id = ANY($1) ORDER BY kind`,
      [[http.id, tool.id]],
    );
    expect(rows).toEqual([
      expect.objectContaining({
        event_id: tool.id,
        server: "slack",
        tool: nasty,
        error_type: "",
        outcome: "error",
        argument_bytes: 42,
        correlation_id: "c1",
        host: null,
        port: null,
        inspected: null,
      }),
      expect.objectContaining({
        event_id: http.id,
        server: nasty,
        correlation_id: "",
        path: `/x,"y"\n?q=${nasty}`,
        rule: nasty,
        network_error: "",
        status: null,
        duration_ms: 0.000001,
        tool: null,
        inspected: true,
        port: 443,
      }),
    ]);
  });

  it("counts a repeated id inside one batch as a duplicate", async () => {
    const event = toolCall();
    const outcome = await ingestEvents(pool, [{ orgId: orgA, agentId, events: [event, event] }]);
    expect(outcome.results[0]).toMatchObject({ stored: 1, duplicates: 1 });
  });

  it("keeps orgs apart: the same event id in two orgs is two events", async () => {
    const event = toolCall();
    const outcome = await ingestEvents(pool, [
      { orgId: orgA, agentId, events: [event] },
      { orgId: orgB, agentId, events: [event] },
    ]);
    expect(outcome.results.map((r) => r.stored)).toEqual([1, 1]);
  });

  it("stores an event with a wild timestamp at receive time, never failing the batch", async () => {
    const future = httpCall({ ts: Date.now() + 10 * 86_400_000 });
    const ancient = httpCall({ ts: 0 });
    const outcome = await ingestEvents(pool, [{ orgId: orgA, agentId, events: [future, ancient] }]);
    expect(outcome.results[0]?.stored).toBe(2);
    const { rows } = await pool.query<{ occurred_at: Date; received_at: Date }>(
      "SELECT occurred_at, received_at FROM events WHERE event_id = ANY($1)",
      [[future.id, ancient.id]],
    );
    for (const row of rows) expect(row.occurred_at.getTime()).toBe(row.received_at.getTime());
  });

  it("rolls up per minute with counts, errors, blocked and a latency histogram", async () => {
    // Mid-minute, two minutes ago: both batches below land in the same minute bucket.
    const ts = Math.floor(Date.now() / 60_000) * 60_000 - 90_000;
    const events = [
      httpCall({ ts, host: "rollup.example", durationMs: 10 }),
      httpCall({ ts, host: "rollup.example", durationMs: 20, status: 500 }),
      httpCall({
        ts,
        host: "rollup.example",
        durationMs: 1,
        status: 403,
        decision: "blocked",
        rule: "org:Allow",
      }),
    ];
    await ingestEvents(pool, [{ orgId: orgA, agentId, events }]);
    const { rows } = await pool.query(
      "SELECT count, errors, blocked, duration_sum_ms, histogram FROM rollups_1m WHERE org_id = $1 AND host = 'rollup.example'",
      [orgA],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ count: 3, errors: 1, blocked: 1, duration_sum_ms: 31 });
    expect((rows[0].histogram as number[]).reduce((a, b) => a + b, 0)).toBe(3);

    // A second batch in the same minute adds to the same row, histograms bucket by bucket.
    await ingestEvents(pool, [
      { orgId: orgA, agentId, events: [httpCall({ ts, host: "rollup.example", durationMs: 10 })] },
    ]);
    const after = await pool.query(
      "SELECT count, histogram FROM rollups_1m WHERE org_id = $1 AND host = 'rollup.example'",
      [orgA],
    );
    expect(after.rows[0].count).toBe(4);
    expect((after.rows[0].histogram as number[]).reduce((a, b) => a + b, 0)).toBe(4);
  });

  it("flags a host the org has never seen as a new, unknown provider, once", async () => {
    const first = await ingestEvents(pool, [
      { orgId: orgA, agentId, events: [httpCall({ host: "api.badactor.com" })] },
    ]);
    expect(first.newHosts).toEqual([{ orgId: orgA, host: "api.badactor.com" }]);
    const second = await ingestEvents(pool, [
      { orgId: orgA, agentId, events: [httpCall({ host: "api.badactor.com" })] },
    ]);
    expect(second.newHosts).toEqual([]);
    const { rows } = await pool.query(
      "SELECT domain, status FROM providers WHERE org_id = $1 AND host = 'api.badactor.com'",
      [orgA],
    );
    expect(rows[0]).toEqual({ domain: "badactor.com", status: "unknown" });
  });

  it("keeps a provider's and an endpoint's first and last sighting, whatever order they arrive in", async () => {
    const now = Date.now();
    const at = (daysAgo: number) => now - daysAgo * 86_400_000;
    const call = (ts: number) => httpCall({ host: "api.span.example", path: "/v1/x", ts });
    await ingestEvents(pool, [{ orgId: orgA, agentId, events: [call(at(2)), call(at(1))] }]);
    // A spool replayed late: older than anything seen, in the same batch as something newer.
    await ingestEvents(pool, [{ orgId: orgA, agentId, events: [call(at(0)), call(at(5))] }]);
    const span = (table: string) =>
      pool
        .query(
          `SELECT first_seen_at, last_seen_at FROM ${table} WHERE org_id = $1 AND host = 'api.span.example'`,
          [orgA],
        )
        .then(({ rows }) => ({
          first: (rows[0].first_seen_at as Date).getTime(),
          last: (rows[0].last_seen_at as Date).getTime(),
        }));
    expect(await span("providers")).toEqual({ first: at(5), last: at(0) });
    expect(await span("endpoints")).toEqual({ first: at(5), last: at(0) });
  });

  it("caps distinct endpoints per host and counts the rest under {other}", async () => {
    const host = "hostile.example";
    const events = Array.from({ length: ENDPOINTS_PER_HOST_CAP + 50 }, (_, i) =>
      httpCall({ host, path: `/path-${i}-x/leaf` }),
    );
    await ingestEvents(pool, [{ orgId: orgA, agentId, events }]);
    const distinct = await count(
      "SELECT count(*) AS n FROM endpoints WHERE org_id = $1 AND host = $2",
      [orgA, host],
    );
    expect(distinct).toBe(ENDPOINTS_PER_HOST_CAP + 1);
    expect(
      await count(
        "SELECT count(*) AS n FROM endpoints WHERE org_id = $1 AND host = $2 AND template = $3",
        [orgA, host, OVERFLOW_ENDPOINT],
      ),
    ).toBe(1);
  });

  it("notifies live-log listeners after commit with a compact batch reference", async () => {
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    await listener.query("LISTEN lunar_events");
    const received = new Promise<{ orgId: string; batchId: string; count: number }>((resolve) => {
      listener.on("notification", (message) => resolve(JSON.parse(message.payload ?? "{}")));
    });
    const outcome = await ingestEvents(pool, [
      { orgId: orgB, agentId, events: [toolCall(), toolCall()] },
    ]);
    const payload = await received;
    expect(payload).toMatchObject({ orgId: orgB, batchId: outcome.results[0]?.batchId, count: 2 });
    await listener.end();
  });
});
