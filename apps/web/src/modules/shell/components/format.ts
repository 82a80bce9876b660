const count = new Intl.NumberFormat("en");

export function formatCount(value: number): string {
  return count.format(value);
}

/** Latency as people read it: "0.4 ms", "38 ms", "1.2 s"; "–" when there is none. */
export function formatMs(value: number | null): string {
  if (value === null) return "–";
  if (value < 10) return `${value.toFixed(1)} ms`;
  if (value < 1_000) return `${Math.round(value)} ms`;
  return `${(value / 1_000).toFixed(1)} s`;
}
