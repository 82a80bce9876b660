export interface BackoffOptions {
  /** Ceiling of the first delay. */
  initialMs: number;
  /** The ceiling never grows past this. */
  maxMs: number;
  /** Uniform in [0, 1): injectable so tests can pin the jitter. */
  random: () => number;
}

export const DEFAULT_BACKOFF: Omit<BackoffOptions, "random"> = { initialMs: 500, maxMs: 30_000 };
/** After an HTTP 401 the key will not fix itself in seconds: ask again about once a minute. */
export const AUTH_REJECTED_RETRY_MS = 60_000;

/**
 * Exponential backoff with full jitter: the n-th delay is uniform in [0, min(max, initial·2ⁿ)),
 * so a fleet of agents cut off by one gateway restart does not come back in lockstep.
 */
export class ReconnectBackoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions) {}

  next(): number {
    const { initialMs, maxMs, random } = this.options;
    const ceiling = Math.min(maxMs, initialMs * 2 ** this.attempt);
    if (ceiling < maxMs) this.attempt++;
    return Math.floor(random() * ceiling);
  }

  /** After a connection that stayed up: the next failure starts from the first delay again. */
  reset(): void {
    this.attempt = 0;
  }
}

/** AUTH_REJECTED_RETRY_MS ± 25 %, jittered like the rest. */
export function authRejectedDelay(random: () => number, baseMs = AUTH_REJECTED_RETRY_MS): number {
  return Math.floor(baseMs * (0.75 + 0.5 * random()));
}
