import { createTestDatabase, createTestPool, type TestDatabase } from "@lunar/db/testing";
import type pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway } from "../testing/test-gateway";
import { startRollupCompaction } from "./rollup-compaction";

const HOUR = 3_600_000;

describe("rollup compaction timer", { timeout: 30_000 }, () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let org: string;

  async function addMinute(at: number, count: number): Promise<void> {
    await pool.query(
      `INSERT INTO rollups_1m (org_id, bucket, kind, server, host, method, endpoint, count, errors,
         blocked, duration_sum_ms, histogram)
       VALUES ($1, date_trunc('minute', $2::timestamptz), 'tool_call', 's', '', '', 't', $3::int, 0, 0,
         $3, '{0,1}')
       ON CONFLICT (org_id, bucket, kind, server, host, method, endpoint)
       DO UPDATE SET count = rollups_1m.count + EXCLUDED.count`,
      [org, new Date(at), count],
    );
  }

  async function hourlyTotal(): Promise<number> {
    return (await pool.query("SELECT coalesce(sum(count), 0)::int AS n FROM rollups_1h")).rows[0].n;
  }

  async function eventually(check: () => Promise<boolean>): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error("timed out");
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createTestPool(database.url);
    org = (await pool.query("INSERT INTO organizations (name) VALUES ('c') RETURNING id")).rows[0]
      .id;
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it("fills rollups_1h from the oldest minute at start, then keeps the current hour current", async () => {
    // Minutes from before the hourly table existed (3 days back) and from now.
    await addMinute(Date.now() - 72 * HOUR, 1);
    await addMinute(Date.now(), 2);
    // Another gateway is compacting at first: this one's first runs are skipped, not lost.
    const other = await pool.connect();
    await other.query("BEGIN");
    await other.query("SELECT pg_advisory_xact_lock(727105002)");
    const compaction = startRollupCompaction(pool, pino({ level: "silent" }), 50);
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await hourlyTotal()).toBe(0);
      await other.query("COMMIT");
      other.release();
      await eventually(async () => (await hourlyTotal()) === 3);

      await addMinute(Date.now(), 4);
      await eventually(async () => (await hourlyTotal()) === 7);
    } finally {
      await compaction.stop();
    }
    await addMinute(Date.now(), 8);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await hourlyTotal()).toBe(7); // stopped: no more runs
  });

  it("a gateway compacts when it starts and stops compacting when it closes", async () => {
    const gateway = await startTestGateway(database.url);
    await eventually(async () => (await hourlyTotal()) === 15);
    await gateway.close();
  });
});
