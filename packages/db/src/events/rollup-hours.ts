// The one definition of which hours of rollups_1h are still being rewritten, shared by the
// compaction (compact-rollups.ts), the ingest (which marks late hours dirty) and the dashboard
// (which reads those hours from rollups_1m instead). Pure: no database, safe for the web bundle.

export const HOUR_MS = 3_600_000;

/** Every compaction run recomputes the current UTC hour and this many before it. */
export const RECOMPUTED_PREVIOUS_HOURS = 2;

export function hourStart(time: number): number {
  return Math.floor(time / HOUR_MS) * HOUR_MS;
}

/**
 * The first hour every compaction run recomputes. Hours before it are final in rollups_1h (late
 * data there is marked dirty and recomputed by the next run); from it on, read rollups_1m.
 */
export function recomputeWindowStart(now: number): Date {
  return new Date(hourStart(now) - RECOMPUTED_PREVIOUS_HOURS * HOUR_MS);
}

/**
 * The ingest marks the hour of a rollup bucket before this dirty. One hour later than the
 * window start on purpose: a minute written unmarked (bucket at or after the cutoff) stays inside
 * every run's window for at least another hour, so a run that starts just after an hour boundary,
 * or a gateway whose clock is a little off, still recomputes it.
 */
export function lateRollupCutoff(now: number): Date {
  return new Date(recomputeWindowStart(now).getTime() + HOUR_MS);
}
