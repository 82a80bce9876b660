import { LATENCY_BUCKETS } from "@lunar/shared";
import type pg from "pg";
import { HOUR_MS, hourStart, recomputeWindowStart } from "./rollup-hours";

/** One compaction at a time across all gateways (see compactRollups). */
const COMPACTION_LOCK_ID = 727_105_002;
/** Catch-up ranges are recomputed a day per transaction. */
const CATCH_UP_CHUNK_MS = 24 * HOUR_MS;
/** Dirty hours recomputed (and their markers deleted) per transaction. */
const DIRTY_HOURS_PER_TRANSACTION = 100;

export interface CompactionOutcome {
  /** Another compaction held the lock, so part of the work was not done: see pendingSince. */
  skipped: boolean;
  /** Where the next run must start for nothing to be missed; null when everything was done. */
  pendingSince: Date | null;
  /** Rows of rollups_1h written. */
  rows: number;
  /** Dirty hours (org, hour) recomputed and unmarked. */
  dirtyHours: number;
}

/**
 * Recomputes rollups_1h from rollups_1m with REPLACE semantics (each hourly row is the sum of its
 * minutes, histograms added bucket by bucket in SQL), so running it again, or on several gateways,
 * gives the same rows. Per run: the hours from `since` (default: the recompute window, the
 * current hour and the 2 before it; an earlier `since` catches up after downtime, a day per
 * transaction), then every hour the ingest marked dirty (late events older than the window),
 * whose markers are deleted in the transaction that recomputes them.
 *
 * `signal` stops a long catch-up between transactions (reported like a skip).
 *
 * A run holds an advisory lock on its connection from start to end; when another gateway holds
 * it, the run does nothing (`skipped`, with `pendingSince` to resume from). Serialising matters:
 * every compaction reads rollups_1m in snapshots taken after the previous one committed, so an
 * older snapshot can never overwrite a newer answer after the dirty marker that asked for it is
 * gone. A connection lost mid-run takes its lock with it.
 */
export async function compactRollups(
  pool: pg.Pool,
  options: { now?: number; since?: Date | null; signal?: AbortSignal } = {},
): Promise<CompactionOutcome> {
  const windowStart = recomputeWindowStart(options.now ?? Date.now());
  const since = new Date(hourStart((options.since ?? windowStart).getTime()));
  const outcome: CompactionOutcome = { skipped: false, pendingSince: null, rows: 0, dirtyHours: 0 };
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock($1) AS locked",
      [COMPACTION_LOCK_ID],
    );
    if (!rows[0]?.locked) return { ...outcome, skipped: true, pendingSince: since };
    try {
      await compactLocked(client, { since, windowStart, signal: options.signal }, outcome);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [COMPACTION_LOCK_ID]).catch((error) => {
        broken ??= error; // destroyed, so the server drops the lock with the session
      });
    }
    return outcome;
  } catch (error) {
    broken ??= error as Error; // a connection in an unknown state is not reused
    throw error;
  } finally {
    client.off("error", onError);
    client.release(broken);
  }
}

async function compactLocked(
  client: pg.PoolClient,
  run: { since: Date; windowStart: Date; signal: AbortSignal | undefined },
  outcome: CompactionOutcome,
): Promise<void> {
  const { windowStart } = run;
  for (let from = run.since; from < windowStart; ) {
    if (run.signal?.aborted) {
      outcome.skipped = true;
      outcome.pendingSince = from;
      return;
    }
    const to = new Date(Math.min(from.getTime() + CATCH_UP_CHUNK_MS, windowStart.getTime()));
    outcome.rows += await inTransaction(client, () =>
      recomputeHours(client, { from, to, dirty: [] }),
    );
    from = to;
  }
  outcome.rows += await inTransaction(client, () =>
    recomputeHours(client, { from: windowStart, to: null, dirty: [] }),
  );

  for (;;) {
    const found = await inTransaction(client, async () => {
      // Markers are locked in key order (the ingest writes them in the same order: no
      // deadlock) and deleted before the recompute reads. Locking one an ingest has written or
      // re-marked waits for that ingest's commit, so the recompute's snapshot has its minutes; a
      // marker inserted after this statement is not seen, and survives for the next run.
      const { rows: dirty } = await client.query<{ org_id: string; hour: Date }>(
        `DELETE FROM rollup_dirty_hours d USING (
           SELECT org_id, hour FROM rollup_dirty_hours ORDER BY org_id, hour LIMIT $1 FOR UPDATE
         ) AS picked
         WHERE d.org_id = picked.org_id AND d.hour = picked.hour
         RETURNING d.org_id, d.hour`,
        [DIRTY_HOURS_PER_TRANSACTION],
      );
      // Hours inside the window were recomputed above.
      const older = dirty.filter((row) => row.hour < windowStart);
      if (older.length > 0)
        outcome.rows += await recomputeHours(client, { from: null, to: null, dirty: older });
      return dirty.length;
    });
    outcome.dirtyHours += found;
    if (found < DIRTY_HOURS_PER_TRANSACTION) return;
  }
}

/**
 * Where a gateway's first compaction should start: 2 hours before the newest hourly row (what a
 * stopped or failing compaction may have left behind), or the oldest minute when rollups_1h is
 * still empty (the first run after the table was added fills it). Null: nothing to catch up.
 */
export async function compactionCatchUpStart(pool: pg.Pool): Promise<Date | null> {
  const { rows } = await pool.query<{ last_hour: Date | null; first_minute: Date | null }>(
    `SELECT (SELECT max(bucket) FROM rollups_1h) AS last_hour,
            (SELECT min(bucket) FROM rollups_1m) AS first_minute`,
  );
  const lastHour = rows[0]?.last_hour;
  if (lastHour) return new Date(lastHour.getTime() - 2 * HOUR_MS);
  return rows[0]?.first_minute ?? null;
}

async function inTransaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    const result = await work();
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/**
 * One INSERT … SELECT over the minutes of [from, to) (to null: no end) plus those of the given
 * dirty (org, hour) pairs, summed per hour and key. An hourly row whose count, errors, blocked and
 * duration sum already equal its minutes' sums is left alone: minute rows only ever grow, so equal
 * totals mean no event was added and the histogram is equal too. That keeps the per-minute cost to
 * the hours and keys that got events. For the others, the histograms are summed from their
 * non-zero buckets (unnested with positions) and laid out again as a full array. Rows are written
 * in key order, so no two writers can lock them in opposite orders.
 */
async function recomputeHours(
  client: pg.PoolClient,
  input: { from: Date | null; to: Date | null; dirty: { org_id: string; hour: Date }[] },
): Promise<number> {
  const result = await client.query(
    `WITH minutes AS NOT MATERIALIZED (
       SELECT m.*, date_trunc('hour', m.bucket, 'UTC') AS hour FROM rollups_1m m
       WHERE $1::timestamptz IS NOT NULL AND m.bucket >= $1
         AND ($2::timestamptz IS NULL OR m.bucket < $2)
       UNION ALL
       SELECT m.*, d.hour FROM unnest($3::uuid[], $4::timestamptz[]) AS d(org_id, hour)
       JOIN rollups_1m m ON m.org_id = d.org_id
         AND m.bucket >= d.hour AND m.bucket < d.hour + interval '1 hour'
     ), totals AS (
       SELECT org_id, hour, kind, server, host, method, endpoint, sum(count)::int AS count,
              sum(errors)::int AS errors, sum(blocked)::int AS blocked,
              -- Summed in a fixed order, so a rerun gives the same float.
              sum(duration_sum_ms ORDER BY bucket) AS duration_sum_ms
       FROM minutes GROUP BY 1, 2, 3, 4, 5, 6, 7
     ), changed AS (
       SELECT t.* FROM totals t
       LEFT JOIN rollups_1h r ON r.org_id = t.org_id AND r.bucket = t.hour AND r.kind = t.kind
         AND r.server = t.server AND r.host = t.host AND r.method = t.method
         AND r.endpoint = t.endpoint
       WHERE (r.count, r.errors, r.blocked, r.duration_sum_ms)
         IS DISTINCT FROM (t.count, t.errors, t.blocked, t.duration_sum_ms)
     ), cells AS (
       SELECT m.org_id, m.hour, m.kind, m.server, m.host, m.method, m.endpoint, h.i,
              sum(h.n)::int AS n
       FROM minutes m
       JOIN changed c ON c.org_id = m.org_id AND c.hour = m.hour AND c.kind = m.kind
         AND c.server = m.server AND c.host = m.host AND c.method = m.method
         AND c.endpoint = m.endpoint
       CROSS JOIN LATERAL unnest(m.histogram) WITH ORDINALITY AS h(n, i)
       WHERE h.n <> 0
       GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
     ), histograms AS (
       SELECT org_id, hour, kind, server, host, method, endpoint,
              array_agg(i::int ORDER BY i) AS at, array_agg(n ORDER BY i) AS n
       FROM cells GROUP BY 1, 2, 3, 4, 5, 6, 7
     )
     INSERT INTO rollups_1h AS r (org_id, bucket, kind, server, host, method, endpoint, count,
       errors, blocked, duration_sum_ms, histogram)
     SELECT c.org_id, c.hour, c.kind, c.server, c.host, c.method, c.endpoint, c.count, c.errors,
            c.blocked, c.duration_sum_ms,
            ARRAY(
              SELECT coalesce(h.n[array_position(h.at, g)], 0)
              FROM generate_series(1, greatest($5::int, h.at[cardinality(h.at)])) AS g
              ORDER BY g)
     FROM changed c
     LEFT JOIN histograms h USING (org_id, hour, kind, server, host, method, endpoint)
     ORDER BY c.org_id, c.hour, c.kind, c.server, c.host, c.method, c.endpoint
     ON CONFLICT (org_id, bucket, kind, server, host, method, endpoint) DO UPDATE SET
       count = EXCLUDED.count,
       errors = EXCLUDED.errors,
       blocked = EXCLUDED.blocked,
       duration_sum_ms = EXCLUDED.duration_sum_ms,
       histogram = EXCLUDED.histogram`,
    [
      input.from,
      input.to,
      input.dirty.map((row) => row.org_id),
      input.dirty.map((row) => row.hour),
      LATENCY_BUCKETS,
    ],
  );
  return result.rowCount ?? 0;
}
