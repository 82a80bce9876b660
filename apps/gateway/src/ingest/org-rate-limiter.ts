/**
 * A token bucket per org: sustained `ratePerSecond`, bursts up to `burstSeconds` of it. Taking
 * never fails; it returns how long the caller should stop reading so that the org's average stays
 * at the rate. A flooding tenant is slowed at its own sockets and cannot starve the others.
 */
export class OrgRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burstSeconds = 4,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes `count` tokens; returns the milliseconds to wait before reading more (0 = none). */
  take(orgId: string, count: number): number {
    const capacity = this.ratePerSecond * this.burstSeconds;
    const now = this.now();
    const bucket = this.buckets.get(orgId) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.ratePerSecond,
    );
    bucket.updatedAt = now;
    bucket.tokens -= count;
    this.buckets.set(orgId, bucket);
    return bucket.tokens >= 0 ? 0 : Math.ceil((-bucket.tokens / this.ratePerSecond) * 1000);
  }
}
