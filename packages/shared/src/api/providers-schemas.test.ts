import { describe, expect, it } from "vitest";
import { ZProvidersQuery } from "./providers-schemas";

describe("ZProvidersQuery", () => {
  it("takes 24h, 7d or 30d; 24h when absent", () => {
    expect(ZProvidersQuery.parse({})).toEqual({ window: "24h" });
    for (const window of ["24h", "7d", "30d"] as const)
      expect(ZProvidersQuery.parse({ window })).toEqual({ window });
  });

  it("refuses any other window and unknown parameters", () => {
    for (const window of ["1h", "7D", "90d", "", "24"])
      expect(ZProvidersQuery.safeParse({ window }).success).toBe(false);
    expect(ZProvidersQuery.safeParse({ window: "7d", org: "other" }).success).toBe(false);
  });
});
