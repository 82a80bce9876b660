import { randomUUID } from "node:crypto";
import { emptyHistogram, mergeHistograms, type TAgentEvent } from "@lunar/shared";
import { httpCall as sampleHttpCall, toolCall as sampleToolCall } from "@lunar/shared/testing";
import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, createTestPool, type TestDatabase } from "../testing";
import { compactionCatchUpStart, compactRollups } from "./compact-rollups";
import { ensureEventPartitions } from "./event-partitions";
import { ingestEvents } from "./ingest-events";
import { HOUR_MS, hourStart } from "./rollup-hours";

const MINUTE_MS = 60_000;

function httpCall(ts: number, overrides: Partial<Extract<TAgentEvent, { type: "http_call" }>>) {
  return sampleHttpCall({ ts, bytesIn: 1, bytesOut: 1, ...overrides });
}

function toolCall(ts: number, durationMs: number, outcome: "ok" | "error"): TAgentEvent {
  return sampleToolCall({
    ts,
    server: "maps",
    tool: "geocode",
    durationMs,
    outcome,
    errorType: outcome === "ok" ? null : "tool_error",
    argumentBytes: 1,
  });
}

/** A varied mix over the 5 minutes up to `ts`: durations, errors, blocked, two hosts, tools. */
function mixAround(ts: number, n: number): TAgentEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const at = ts - (i % 5) * MINUTE_MS;
    if (i % 7 === 0) return toolCall(at, 3 + i, i % 2 === 0 ? "ok" : "error");
    return httpCall(at, {
      durationMs: 0.05 + i * 3.7,
      host: i % 3 === 0 ? "api.github.com" : "slack.com",
      status: i % 4 === 0 ? 500 : 200,
      ...(i % 6 === 1 ? { decision: "blocked", status: 403, rule: "org:Blocked#0" } : {}),
    });
  });
}

function sorted(rows: HourRow[]): HourRow[] {
  const key = (row: HourRow) =>
    [row.org_id, row.bucket, row.kind, row.server, row.host, row.method, row.endpoint].join("\n");
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

type HourRow = {
  org_id: string;
  bucket: string;
  kind: string;
  server: string;
  host: string;
  method: string;
  endpoint: string;
  count: number;
  errors: number;
  blocked: number;
  duration_sum_ms: number;
  histogram: number[];
};

describe("compactRollups", () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let orgA: string;
  let orgB: string;
  const agentId = randomUUID();

  async function hourRows(): Promise<HourRow[]> {
    const { rows } = await pool.query<HourRow>(
      `SELECT org_id, to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS bucket, kind,
              server, host, method, endpoint, count, errors, blocked, duration_sum_ms, histogram
       FROM rollups_1h`,
    );
    return sorted(rows);
  }

  /** What rollups_1h must hold: the minutes summed per hour in JS, independently of the SQL. */
  async function expectedFromMinutes(): Promise<HourRow[]> {
    const { rows } = await pool.query<HourRow & { at: Date }>(
      "SELECT *, bucket AS at FROM rollups_1m",
    );
    const hours = new Map<string, HourRow>();
    for (const minute of rows) {
      const bucket = new Date(hourStart(minute.at.getTime())).toISOString().slice(0, 16);
      const key = [minute.org_id, bucket, minute.kind, minute.server, minute.host, minute.method];
      const id = [...key, minute.endpoint].join("\n");
      let hour = hours.get(id);
      if (!hour) {
        hour = {
          org_id: minute.org_id,
          bucket,
          kind: minute.kind,
          server: minute.server,
          host: minute.host,
          method: minute.method,
          endpoint: minute.endpoint,
          count: 0,
          errors: 0,
          blocked: 0,
          duration_sum_ms: 0,
          histogram: emptyHistogram(),
        };
        hours.set(id, hour);
      }
      hour.count += minute.count;
      hour.errors += minute.errors;
      hour.blocked += minute.blocked;
      hour.duration_sum_ms += minute.duration_sum_ms;
      mergeHistograms(hour.histogram, minute.histogram);
    }
    return sorted([...hours.values()]);
  }

  function comparable(rows: HourRow[]) {
    // Float sums may differ in the last bits with the order of addition.
    return rows.map((row) => ({ ...row, duration_sum_ms: Number(row.duration_sum_ms.toFixed(6)) }));
  }

  async function dirtyHours(): Promise<{ org_id: string; hour: Date }[]> {
    return (await pool.query("SELECT org_id, hour FROM rollup_dirty_hours ORDER BY 1, 2")).rows;
  }

  /** Backends waiting for a lock while running a statement like `pattern`. */
  async function lockWaits(pattern: string): Promise<number> {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'
         AND ltrim(query) LIKE $1`,
      [pattern],
    );
    return rows[0]?.n ?? 0;
  }

  async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createTestPool(database.url, { max: 12 });
    pool.on("error", () => {}); // an idle connection closed by the database drop at the end
    await ensureEventPartitions(pool, { daysBack: 8, daysAhead: 1 });
    const orgs = await pool.query<{ id: string }>(
      "INSERT INTO organizations (name) VALUES ('A'), ('B') RETURNING id",
    );
    orgA = orgs.rows[0]?.id as string;
    orgB = orgs.rows[1]?.id as string;
  });
  beforeEach(async () => {
    await pool.query("TRUNCATE rollups_1m, rollups_1h, rollup_dirty_hours");
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it("makes each hourly row the sum of its minutes: counts, errors, blocked, durations, histograms; a rerun changes nothing", async () => {
    const now = Date.now();
    await ingestEvents(pool, [
      { orgId: orgA, agentId, events: mixAround(now - 10 * MINUTE_MS, 60) },
      { orgId: orgA, agentId, events: mixAround(now - 90 * MINUTE_MS, 40) },
      { orgId: orgB, agentId, events: mixAround(now - 30 * HOUR_MS, 25) },
    ]);
    const outcome = await compactRollups(pool, { since: new Date(now - 2 * 24 * HOUR_MS) });
    expect(outcome).toMatchObject({ skipped: false, pendingSince: null });
    const rows = await hourRows();
    expect(rows.length).toBeGreaterThan(6);
    expect(rows.every((row) => row.histogram.length === emptyHistogram().length)).toBe(true);
    expect(comparable(rows)).toEqual(comparable(await expectedFromMinutes()));
    const total = (await pool.query("SELECT sum(count)::int AS n FROM rollups_1h")).rows[0].n;
    expect(total).toBe(125);

    await compactRollups(pool, { since: new Date(now - 2 * 24 * HOUR_MS) });
    expect(await hourRows()).toEqual(rows);
    await compactRollups(pool);
    expect(await hourRows()).toEqual(rows);
  });

  it("a late event for an hour before the window marks it dirty; the next run recomputes it and removes the mark", async () => {
    const now = Date.now();
    const oldHour = hourStart(now - 5 * HOUR_MS);
    await ingestEvents(pool, [
      { orgId: orgA, agentId, events: [httpCall(oldHour + 10 * MINUTE_MS, { durationMs: 40 })] },
    ]);
    await compactRollups(pool, { since: new Date(now - 24 * HOUR_MS) });
    expect(await dirtyHours()).toEqual([]); // the first ingest's mark went with that run

    // Recent events (inside the window) never mark anything.
    await ingestEvents(pool, [{ orgId: orgA, agentId, events: mixAround(now, 5) }]);
    expect(await dirtyHours()).toEqual([]);

    // A spool replay: an hour-old batch arrives five hours late.
    await ingestEvents(pool, [
      {
        orgId: orgA,
        agentId,
        events: [
          httpCall(oldHour + 20 * MINUTE_MS, { durationMs: 900, status: 502 }),
          httpCall(oldHour + 50 * MINUTE_MS, { durationMs: 2 }),
        ],
      },
    ]);
    expect(await dirtyHours()).toEqual([{ org_id: orgA, hour: new Date(oldHour) }]);
    const oldBucket = new Date(oldHour).toISOString().slice(0, 16);
    const before = (await hourRows()).find((row) => row.bucket === oldBucket);
    expect(before).toMatchObject({ count: 1, errors: 0 });

    const outcome = await compactRollups(pool); // the regular run: window plus dirty hours
    expect(outcome.dirtyHours).toBe(1);
    expect(await dirtyHours()).toEqual([]);
    const after = await hourRows();
    expect(after.find((row) => row.bucket === oldBucket)).toMatchObject({
      count: 3,
      errors: 1,
      duration_sum_ms: 942,
    });
    expect(comparable(after)).toEqual(comparable(await expectedFromMinutes()));
  });

  it("two gateways compacting at once, while late and current events keep arriving, end with the right rows", async () => {
    const now = Date.now();
    const other = createTestPool(database.url, { max: 4 });
    other.on("error", () => {});
    try {
      // For a second: three ingest writers (current, 3 h, 6 h and 9 h old events;
      // the older ones mark their hours dirty) against two gateways' compactions in a loop.
      const until = Date.now() + 1_000;
      const writers = [0, 1, 2].map(async (writer) => {
        let sent = 0;
        for (let round = 0; Date.now() < until; round++) {
          const age = ((writer + round) % 4) * 3 * HOUR_MS;
          const events = mixAround(now - age, 10);
          await ingestEvents(pool, [{ orgId: round % 2 ? orgA : orgB, agentId, events }]);
          sent += events.length;
        }
        return sent;
      });
      let ran = 0;
      let skipped = 0;
      const compactors = [pool, other].map(async (gateway) => {
        while (Date.now() < until) {
          const outcome = await compactRollups(gateway, { since: new Date(now - 12 * HOUR_MS) });
          if (outcome.skipped) skipped++;
          else ran++;
        }
      });
      const sent = (await Promise.all(writers)).reduce((sum, n) => sum + n, 0);
      await Promise.all(compactors);
      expect(ran).toBeGreaterThan(1);
      expect(ran + skipped).toBeGreaterThan(2);

      // The next regular run settles what the last loop runs could not see.
      await compactRollups(pool);
      expect(await dirtyHours()).toEqual([]);
      expect(comparable(await hourRows())).toEqual(comparable(await expectedFromMinutes()));
      const total = (await pool.query("SELECT sum(count)::int AS n FROM rollups_1h")).rows[0].n;
      expect(total).toBe(sent);
    } finally {
      await other.end();
    }
  });

  it("a compaction never drops a marker an uncommitted ingest has just re-marked", async () => {
    const now = Date.now();
    const lateTs = hourStart(now - 5 * HOUR_MS) + 10 * MINUTE_MS;
    await ingestEvents(pool, [{ orgId: orgA, agentId, events: [httpCall(lateTs, {})] }]);
    expect(await dirtyHours()).toHaveLength(1);

    // Hold the ingest of a second late event for that minute between its marker and its commit:
    // (the statement writes the marker before the minute's rollup row, which we keep locked).
    const holder = await pool.connect();
    await holder.query("BEGIN");
    await holder.query("SELECT 1 FROM rollups_1m WHERE org_id = $1 FOR UPDATE", [orgA]);
    const secondIngest = ingestEvents(pool, [
      { orgId: orgA, agentId, events: [httpCall(lateTs, {})] },
    ]);
    await waitFor(async () => (await lockWaits("WITH rollups AS%")) > 0, "the ingest");
    let compactionDone = false;
    const compaction = compactRollups(pool).then((outcome) => {
      compactionDone = true;
      return outcome;
    });
    // Either the compaction waits for the ingest's marker, or (were the marker not locked) it
    // has already finished without the second event: both are observable before the release.
    await waitFor(
      async () => compactionDone || (await lockWaits("DELETE FROM rollup_dirty_hours%")) > 0,
      "the compaction",
    );
    await holder.query("ROLLBACK");
    holder.release();
    await secondIngest;
    await compaction;

    await compactRollups(pool);
    const oldBucket = new Date(hourStart(lateTs)).toISOString().slice(0, 16);
    expect((await hourRows()).find((row) => row.bucket === oldBucket)?.count).toBe(2);
    expect(await dirtyHours()).toEqual([]);
  });

  it("a run that finds another holding the lock does nothing and says where to resume", async () => {
    const now = Date.now();
    await ingestEvents(pool, [{ orgId: orgA, agentId, events: mixAround(now, 3) }]);
    const holder = await pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT pg_advisory_xact_lock(727105002)");
      const since = new Date(hourStart(now) - 30 * HOUR_MS);
      const outcome = await compactRollups(pool, { now, since });
      expect(outcome).toMatchObject({ skipped: true, pendingSince: since, rows: 0 });
      expect(await hourRows()).toEqual([]);
    } finally {
      await holder.query("ROLLBACK");
      holder.release();
    }
  });

  it("catch-up: the first run starts at the oldest minute, later ones 2 hours before the newest hour", async () => {
    expect(await compactionCatchUpStart(pool)).toBeNull();
    const now = Date.now();
    await ingestEvents(pool, [
      { orgId: orgA, agentId, events: [httpCall(now - 3 * 24 * HOUR_MS, {}), httpCall(now, {})] },
    ]);
    const first = await compactionCatchUpStart(pool);
    expect(first?.getTime()).toBe(Math.floor((now - 3 * 24 * HOUR_MS) / MINUTE_MS) * MINUTE_MS);
    await compactRollups(pool, { since: first });
    expect((await pool.query("SELECT sum(count)::int AS n FROM rollups_1h")).rows[0].n).toBe(2);
    expect((await compactionCatchUpStart(pool))?.getTime()).toBe(hourStart(now) - 2 * HOUR_MS);
  });
});
