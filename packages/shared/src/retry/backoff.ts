// One backoff policy for every part that retries: exponential from `baseMs`, capped at `maxMs`,
// with optional jitter so many clients that failed together do not retry together.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** 0 (none) to 1 (anywhere between 0 and the delay); default 0. */
  jitter?: number;
}

/** The wait before retry number `attempt` (0 for the first retry). */
export function nextBackoffMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  const delay = Math.min(policy.baseMs * 2 ** exponent, policy.maxMs);
  const jitter = Math.min(Math.max(policy.jitter ?? 0, 0), 1);
  return Math.round(delay * (1 - jitter * random()));
}
