import type pg from "pg";

const DAY_MS = 86_400_000;

function dayStart(time: number): Date {
  return new Date(Math.floor(time / DAY_MS) * DAY_MS);
}

export function partitionNameFor(day: Date): string {
  return `events_p${day.toISOString().slice(0, 10).replaceAll("-", "")}`;
}

/**
 * Creates the daily partitions of `events` (UTC days) from `daysBack` before `now` to `daysAhead`
 * after it. Idempotent; safe to run from several gateways at once.
 */
export async function ensureEventPartitions(
  pool: pg.Pool,
  options: { now?: number; daysBack: number; daysAhead: number },
): Promise<string[]> {
  const today = dayStart(options.now ?? Date.now()).getTime();
  const created: string[] = [];
  for (let offset = -options.daysBack; offset <= options.daysAhead; offset++) {
    const from = new Date(today + offset * DAY_MS);
    const to = new Date(from.getTime() + DAY_MS);
    const name = partitionNameFor(from);
    try {
      await pool.query(
        `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "events"
         FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
      );
      created.push(name);
    } catch (error) {
      // Another gateway created it between our check and our create.
      if ((error as { code?: string }).code !== "42P07") throw error;
    }
  }
  return created;
}

/**
 * Drops partitions wholly older than the retention window, and prunes the dedup ledger, both
 * rollup tables and dirty-hour markers by the same cutoff (a UTC day, so also an hour boundary).
 */
export async function dropExpiredEventData(
  pool: pg.Pool,
  options: { now?: number; retentionDays: number },
): Promise<string[]> {
  const cutoff = dayStart((options.now ?? Date.now()) - options.retentionDays * DAY_MS);
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = 'events'`,
  );
  const dropped: string[] = [];
  for (const { name } of rows) {
    const match = /^events_p(\d{4})(\d{2})(\d{2})$/.exec(name);
    if (!match) continue;
    const day = new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00Z`);
    if (day.getTime() < cutoff.getTime()) {
      await pool.query(`DROP TABLE IF EXISTS "${name}"`);
      dropped.push(name);
    }
  }
  await pool.query("DELETE FROM event_ids WHERE received_at < $1", [cutoff]);
  await pool.query("DELETE FROM rollups_1m WHERE bucket < $1", [cutoff]);
  await pool.query("DELETE FROM rollups_1h WHERE bucket < $1", [cutoff]);
  await pool.query("DELETE FROM rollup_dirty_hours WHERE hour < $1", [cutoff]);
  return dropped;
}
