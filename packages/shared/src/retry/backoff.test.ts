import { describe, expect, it } from "vitest";
import { nextBackoffMs } from "./backoff";

describe("nextBackoffMs", () => {
  it("doubles from the base and stops at the cap", () => {
    const policy = { baseMs: 100, maxMs: 1_000 };
    expect([0, 1, 2, 3, 4, 50].map((attempt) => nextBackoffMs(attempt, policy))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it("jitter shortens the wait by at most its share", () => {
    const policy = { baseMs: 100, maxMs: 1_000, jitter: 0.5 };
    expect(nextBackoffMs(2, policy, () => 0)).toBe(400);
    expect(nextBackoffMs(2, policy, () => 1)).toBe(200);
  });
});
