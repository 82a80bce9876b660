import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, createTestPool, type TestDatabase } from "../testing";
import { dropExpiredEventData, ensureEventPartitions, partitionNameFor } from "./event-partitions";

const DAY = 86_400_000;

describe("event partitions and retention", () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createTestPool(database.url);
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  async function partitions(): Promise<string[]> {
    const { rows } = await pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'events' ORDER BY 1`,
    );
    return rows.map((row) => row.name);
  }

  it("creates one partition per UTC day, idempotently, also when run concurrently", async () => {
    const now = Date.UTC(2026, 10, 26, 12);
    await Promise.all([
      ensureEventPartitions(pool, { now, daysBack: 1, daysAhead: 1 }),
      ensureEventPartitions(pool, { now, daysBack: 1, daysAhead: 1 }),
    ]);
    expect(await partitions()).toEqual([
      "events_p20261125",
      "events_p20261126",
      "events_p20261127",
    ]);
  });

  it("drops partitions, ledger rows and rollups older than the retention window", async () => {
    const now = Date.UTC(2026, 10, 26, 12);
    await ensureEventPartitions(pool, { now: now - 40 * DAY, daysBack: 0, daysAhead: 0 });
    const org = (await pool.query("INSERT INTO organizations (name) VALUES ('r') RETURNING id"))
      .rows[0].id;
    await pool.query(
      "INSERT INTO event_ids (org_id, event_id, received_at) VALUES ($1, gen_random_uuid(), $2), ($1, gen_random_uuid(), $3)",
      [org, new Date(now - 40 * DAY), new Date(now)],
    );
    const dropped = await dropExpiredEventData(pool, { now, retentionDays: 30 });
    expect(dropped).toEqual([partitionNameFor(new Date(now - 40 * DAY))]);
    expect(await partitions()).not.toContain(partitionNameFor(new Date(now - 40 * DAY)));
    expect(await partitions()).toContain("events_p20261126");
    const { rows } = await pool.query(
      "SELECT count(*)::int AS n FROM event_ids WHERE org_id = $1",
      [org],
    );
    expect(rows[0].n).toBe(1);
  });

  it("drops hourly rollups and dirty-hour markers older than the retention window", async () => {
    const now = Date.UTC(2026, 10, 26, 12);
    const org = (await pool.query("INSERT INTO organizations (name) VALUES ('h') RETURNING id"))
      .rows[0].id;
    const old = new Date(now - 31 * DAY);
    const kept = new Date(now - 29 * DAY);
    for (const table of ["rollups_1m", "rollups_1h"]) {
      await pool.query(
        `INSERT INTO ${table} (org_id, bucket, kind, server, host, method, endpoint, count, errors,
           blocked, duration_sum_ms, histogram)
         SELECT $1, b, 'tool_call', 's', '', '', 't', 1, 0, 0, 1, '{1}' FROM unnest($2::timestamptz[]) b`,
        [org, [old, kept]],
      );
    }
    await pool.query(
      "INSERT INTO rollup_dirty_hours (org_id, hour) SELECT $1, unnest($2::timestamptz[])",
      [org, [old, kept]],
    );
    await dropExpiredEventData(pool, { now, retentionDays: 30 });
    for (const [table, column] of [
      ["rollups_1m", "bucket"],
      ["rollups_1h", "bucket"],
      ["rollup_dirty_hours", "hour"],
    ]) {
      const { rows } = await pool.query(`SELECT ${column} AS at FROM ${table} WHERE org_id = $1`, [
        org,
      ]);
      expect(rows.map((row) => row.at)).toEqual([kept]);
    }
  });
});
