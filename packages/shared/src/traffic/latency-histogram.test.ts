import { describe, expect, it } from "vitest";
import {
  addToHistogram,
  emptyHistogram,
  histogramPercentile,
  LATENCY_RELATIVE_ERROR,
  latencyBucket,
  mergeHistograms,
} from "./latency-histogram";

function exactPercentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] as number;
}

// Deterministic pseudo-random numbers, so a failure can be reproduced.
function lcg(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("latency histogram", () => {
  it("keeps the error bound under 5%", () => {
    expect(LATENCY_RELATIVE_ERROR).toBeLessThan(0.05);
  });

  it("puts values in increasing buckets and clamps the extremes", () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(Number.NaN)).toBe(0);
    expect(latencyBucket(1)).toBeLessThan(latencyBucket(2));
    expect(latencyBucket(1e12)).toBe(latencyBucket(1e9));
  });

  it("reads p50/p95/p99 within 5% of the exact value, after merging per-minute histograms", () => {
    const random = lcg(42);
    const all: number[] = [];
    const minutes = Array.from({ length: 60 }, () => emptyHistogram());
    for (let i = 0; i < 50_000; i++) {
      // A long-tailed mix: most calls fast, some slow, a few very slow.
      const r = random();
      const ms =
        r < 0.8 ? 1 + random() * 20 : r < 0.98 ? 50 + random() * 400 : 1000 + random() * 9000;
      all.push(ms);
      addToHistogram(minutes[i % 60] as number[], ms);
    }
    const merged = minutes.reduce((acc, h) => mergeHistograms(acc, h), emptyHistogram());
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = exactPercentile(all, q);
      const estimate = histogramPercentile(merged, q) as number;
      expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.05);
    }
  });

  it("has no percentile when empty", () => {
    expect(histogramPercentile(emptyHistogram(), 0.5)).toBeNull();
  });
});
