import { randomUUID } from "node:crypto";
import {
  addToHistogram,
  emptyHistogram,
  histogramPercentile,
  mergeHistograms,
  type TTrafficWindow,
} from "@lunar/shared";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client";
import { compactRollups } from "../events/compact-rollups";
import { createTestDatabase, createTestPool, type TestDatabase } from "../testing";
import { listProvidersTraffic } from "./list-providers-traffic";
import { trafficWindowParts } from "./traffic-rollups";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// 12:30:15 UTC: the compaction's window starts at 10:00, the current hour at 12:00.
const NOW = Date.UTC(2026, 10, 26, 12, 30, 15);
const HOST = "api.example.com";

interface Minute {
  at: number;
  count: number;
  errors: number;
  blocked: number;
  durations: number[];
}

describe("traffic windows: hourly rollups plus the minutes the compaction still rewrites", () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: Db;
  let org: string;
  const minutes: Minute[] = [];

  /** A rollups_1m row for HOST, as the ingest would have written it. */
  async function addMinute(at: number, count: number): Promise<void> {
    const durations = Array.from({ length: count }, (_, i) => 1 + ((i * 37 + count) % 400));
    const minute = { at, count, errors: count >> 2, blocked: count >> 3, durations };
    minutes.push(minute);
    const histogram = emptyHistogram();
    for (const ms of durations) addToHistogram(histogram, ms);
    await pool.query(
      `INSERT INTO rollups_1m (org_id, bucket, kind, server, host, method, endpoint, count,
         errors, blocked, duration_sum_ms, histogram)
       VALUES ($1, $2, 'http_call', 'slack', $3, 'GET', '/x', $4, $5, $6, $7, $8)`,
      [
        org,
        new Date(Math.floor(at / MINUTE) * MINUTE),
        HOST,
        count,
        minute.errors,
        minute.blocked,
        durations.reduce((sum, ms) => sum + ms, 0),
        histogram,
      ],
    );
  }

  /** The window's answer worked out from the minutes themselves. */
  function expected(window: TTrafficWindow) {
    const since = NOW - { "24h": DAY, "7d": 7 * DAY, "30d": 30 * DAY }[window];
    const inside = minutes.filter((m) => Math.floor(m.at / MINUTE) * MINUTE >= since);
    const histogram = emptyHistogram();
    for (const m of inside) {
      const one = emptyHistogram();
      for (const ms of m.durations) addToHistogram(one, ms);
      mergeHistograms(histogram, one);
    }
    return {
      calls: inside.reduce((sum, m) => sum + m.count, 0),
      errors: inside.reduce((sum, m) => sum + m.errors, 0),
      blocked: inside.reduce((sum, m) => sum + m.blocked, 0),
      p50Ms: histogramPercentile(histogram, 0.5),
      p95Ms: histogramPercentile(histogram, 0.95),
    };
  }

  async function traffic(window: TTrafficWindow) {
    const rows = await listProvidersTraffic(db, org, window, new Date(NOW));
    const row = rows.find((r) => r.host === HOST);
    return {
      calls: row?.calls,
      errors: row?.errors,
      blocked: row?.blocked,
      p50Ms: row?.p50Ms,
      p95Ms: row?.p95Ms,
    };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createTestPool(database.url);
    db = createDb(database.url);
    org = (await pool.query("INSERT INTO organizations (name) VALUES ('W') RETURNING id")).rows[0]
      .id;
    await pool.query(
      "INSERT INTO providers (org_id, host, domain) VALUES ($1, $2, 'example.com')",
      [org, HOST],
    );
    // Counts are powers of two, so every total tells which minutes it includes.
    await addMinute(NOW - 8 * DAY, 1); // in 30 d only
    await addMinute(NOW - 7 * DAY - 10 * MINUTE, 2); // 10 minutes too old for 7 d
    await addMinute(NOW - 7 * DAY + 10 * MINUTE, 4); // the partial first hour of 7 d
    await addMinute(NOW - 3 * DAY, 8);
    await addMinute(NOW - 2 * HOUR - 40 * MINUTE, 32); // 09:50: before the window, hourly
    await addMinute(NOW - 2 * HOUR - 20 * MINUTE, 16); // 10:10: in the window, minutes
    await addMinute(NOW - 5 * MINUTE, 64); // the current hour
    await addMinute(NOW + 45_000, 128); // a skewed agent clock, a minute ahead
    const outcome = await compactRollups(pool, { now: NOW, since: new Date(NOW - 31 * DAY) });
    expect(outcome.skipped).toBe(false);
    // Stored since that compaction, not compacted yet: the current and the previous hour.
    await addMinute(NOW - 1 * MINUTE, 256);
    await addMinute(NOW - 31 * MINUTE, 512);
  });
  afterAll(async () => {
    await pool.end();
    await db.$disconnect();
    await database.drop();
  });

  it("splits a window on hour boundaries: partial first hour, full hours, then the recompute window", () => {
    expect(trafficWindowParts("7d", new Date(NOW))).toEqual({
      since: new Date(NOW - 7 * DAY),
      hoursFrom: new Date(Date.UTC(2026, 10, 19, 13)),
      hoursTo: new Date(Date.UTC(2026, 10, 26, 10)),
    });
    expect(trafficWindowParts("24h", new Date(NOW))).toMatchObject({ hoursFrom: null });
  });

  it("the compacted hours include the window's hours, so reading both tables there would double count", async () => {
    const { rows } = await pool.query(
      "SELECT sum(count)::int AS n FROM rollups_1h WHERE bucket >= $1",
      [new Date(Date.UTC(2026, 10, 26, 10))],
    );
    expect(rows[0].n).toBe(16 + 64 + 128);
  });

  it("7 d and 30 d count every minute of the window exactly once: hourly rows plus recent minutes", async () => {
    expect(expected("7d").calls).toBe(4 + 8 + 32 + 16 + 64 + 128 + 256 + 512);
    expect(await traffic("7d")).toEqual(expected("7d"));
    expect(expected("30d").calls).toBe(1023);
    expect(await traffic("30d")).toEqual(expected("30d"));
  });

  it("24 h still reads only the minutes", async () => {
    expect(expected("24h").calls).toBe(32 + 16 + 64 + 128 + 256 + 512);
    expect(await traffic("24h")).toEqual(expected("24h"));
  });

  it("another org sees none of it", async () => {
    expect(await listProvidersTraffic(db, randomUUID(), "30d", new Date(NOW))).toEqual([]);
  });
});
