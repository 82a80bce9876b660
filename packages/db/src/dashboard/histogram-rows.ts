import { LATENCY_BUCKETS } from "@lunar/shared";

/**
 * Latency histograms from the rows of a query that merged them in SQL (one row per key and
 * non-empty bucket, see trafficRollups' users): one full histogram per key.
 */
export function histogramsFromRows<K extends string>(
  rows: ({ bucket: number; n: number } & Record<K, string>)[],
  key: K,
): Map<string, number[]> {
  const histograms = new Map<string, number[]>();
  for (const row of rows) {
    let histogram = histograms.get(row[key]);
    if (!histogram) {
      histogram = new Array<number>(LATENCY_BUCKETS).fill(0);
      histograms.set(row[key], histogram);
    }
    if (row.bucket >= 0 && row.bucket < LATENCY_BUCKETS) histogram[row.bucket] = row.n;
  }
  return histograms;
}
