/** Exponential backoff with full jitter: a delay in [0, min(cap, base·2^attempt)). */
export function backoffDelay(
  attempt: number,
  options: { baseMs: number; capMs: number },
  random = Math.random,
): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}
