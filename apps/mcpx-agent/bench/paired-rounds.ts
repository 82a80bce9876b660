import { percentile } from "./rate-load";

export interface PairedComparison {
  /** Median over rounds of (path A's percentile − path B's), in ms. */
  median: number;
  /** 95% bootstrap interval of that median (rounds resampled with replacement). */
  low: number;
  high: number;
  /** Rounds in which A's percentile was at most B's. */
  roundsAtMost: number;
  rounds: number;
}

/**
 * Compares two paths round by round: each round, both ran for the same second of the same
 * machine, so a stall of the machine lands in one round of one path instead of in the pooled
 * tail, and the median of the per-round differences says which path is slower when neither is
 * stalled. `rounds` holds each round's sorted latencies of A and of B.
 */
export function comparePerRound(
  rounds: readonly { a: readonly number[]; b: readonly number[] }[],
  q: number,
  resamples = 10_000,
): PairedComparison {
  const differences = rounds.map(({ a, b }) => percentile(a, q) - percentile(b, q));
  const medians: number[] = [];
  for (let i = 0; i < resamples; i++) {
    const sample = differences.map(
      () => differences[Math.floor(Math.random() * differences.length)] as number,
    );
    medians.push(median(sample));
  }
  medians.sort((x, y) => x - y);
  return {
    median: median(differences),
    low: percentile(medians, 0.025),
    high: percentile(medians, 0.975),
    roundsAtMost: differences.filter((difference) => difference <= 0).length,
    rounds: differences.length,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
