// One latency histogram layout for every rollup, so histograms from any minute, server or
// gateway add up bucket by bucket and percentiles merge exactly at the bucket level.
//
// Bucket 0 holds [0, 0.1 ms); bucket i ≥ 1 holds [0.1·1.1^(i-1), 0.1·1.1^i) ms; the last bucket
// also takes everything above. Reporting a bucket by its geometric midpoint puts any value within
// √1.1 − 1 ≈ 4.9% of the true one, so p50/p95/p99 from merged histograms are within 5% of the
// exact percentile of the raw durations (below the 10-minute ceiling).

export const LATENCY_BASE_MS = 0.1;
export const LATENCY_GROWTH = 1.1;
export const LATENCY_MAX_MS = 600_000;
export const LATENCY_BUCKETS =
  2 + Math.ceil(Math.log(LATENCY_MAX_MS / LATENCY_BASE_MS) / Math.log(LATENCY_GROWTH));
/** The relative error bound of a percentile read from these histograms. */
export const LATENCY_RELATIVE_ERROR = Math.sqrt(LATENCY_GROWTH) - 1;

const LOG_GROWTH = Math.log(LATENCY_GROWTH);

export function latencyBucket(ms: number): number {
  if (!(ms >= LATENCY_BASE_MS)) return 0;
  const index = 1 + Math.floor(Math.log(ms / LATENCY_BASE_MS) / LOG_GROWTH);
  return Math.min(index, LATENCY_BUCKETS - 1);
}

/** The value a bucket stands for: the geometric midpoint of its bounds. */
export function bucketValue(index: number): number {
  if (index <= 0) return LATENCY_BASE_MS / 2;
  const low = LATENCY_BASE_MS * LATENCY_GROWTH ** (index - 1);
  return low * Math.sqrt(LATENCY_GROWTH);
}

export function emptyHistogram(): number[] {
  return new Array<number>(LATENCY_BUCKETS).fill(0);
}

export function addToHistogram(histogram: number[], ms: number): void {
  const index = latencyBucket(ms);
  histogram[index] = (histogram[index] ?? 0) + 1;
}

export function mergeHistograms(into: number[], from: readonly number[]): number[] {
  for (let i = 0; i < LATENCY_BUCKETS; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
  return into;
}

/** The q-quantile (0 < q ≤ 1) by nearest rank, or null for an empty histogram. */
export function histogramPercentile(histogram: readonly number[], q: number): number | null {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= rank) return bucketValue(i);
  }
  return bucketValue(histogram.length - 1);
}
