import { compactionCatchUpStart, compactRollups, recomputeWindowStart } from "@lunar/db/postgres";
import type pg from "pg";
import type pino from "pino";

export const COMPACTION_INTERVAL_MS = 60_000;

export interface RollupCompaction {
  /** No new runs; resolves once the one in flight (if any) has stopped. */
  stop(): Promise<void>;
}

/**
 * Keeps rollups_1h current: a compaction now and then every minute (compactRollups in
 * packages/db). A run that failed or was skipped leaves where it started as the next run's
 * start, so no hour leaves the sliding window uncompacted; the first run of the process starts
 * where the table says the last compaction anywhere may have stopped (compactionCatchUpStart).
 * One run at a time per process; the ingest is not involved.
 */
export function startRollupCompaction(
  pool: pg.Pool,
  log: pino.Logger,
  intervalMs = COMPACTION_INTERVAL_MS,
): RollupCompaction {
  const abort = new AbortController();
  // undefined: not looked up yet; null: nothing before the window is owed.
  let pending: Date | null | undefined;
  let inFlight: Promise<void> | null = null;

  const run = async () => {
    if (pending === undefined) pending = await compactionCatchUpStart(pool);
    const now = Date.now();
    const windowStart = recomputeWindowStart(now);
    const since = pending !== null && pending < windowStart ? pending : windowStart;
    pending = since;
    const started = performance.now();
    const outcome = await compactRollups(pool, { now, since, signal: abort.signal });
    pending = outcome.pendingSince;
    log.debug(
      { ...outcome, since, ms: Math.round(performance.now() - started) },
      "rollups compacted",
    );
  };
  const tick = () => {
    if (inFlight || abort.signal.aborted) return;
    inFlight = run()
      .catch((error) => log.warn({ err: error }, "rollup compaction failed; will retry"))
      .finally(() => {
        inFlight = null;
      });
  };

  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    async stop() {
      abort.abort();
      clearInterval(timer);
      await inFlight;
    },
  };
}
