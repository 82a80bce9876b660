import { describe, expect, it } from "vitest";
import { OrgRateLimiter } from "./org-rate-limiter";

describe("OrgRateLimiter", () => {
  it("lets a burst through, then asks the flooding org to wait in proportion", () => {
    let now = 0;
    const limiter = new OrgRateLimiter(1000, 2, () => now);
    expect(limiter.take("a", 2000)).toBe(0);
    expect(limiter.take("a", 500)).toBe(500);
    now += 1500; // refilled 1500, debt was 500
    expect(limiter.take("a", 1000)).toBe(0);
  });

  it("keeps orgs apart: one org's flood does not slow another", () => {
    const limiter = new OrgRateLimiter(100, 1, () => 0);
    expect(limiter.take("flood", 10_000)).toBeGreaterThan(0);
    expect(limiter.take("quiet", 10)).toBe(0);
  });
});
