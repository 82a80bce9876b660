import { describe, expect, it } from "vitest";
import { ZServersQuery } from "./servers-schemas";

describe("ZServersQuery", () => {
  it("takes 24h, 7d or 30d; 24h when absent", () => {
    expect(ZServersQuery.parse({})).toEqual({ window: "24h" });
    for (const window of ["24h", "7d", "30d"] as const)
      expect(ZServersQuery.parse({ window })).toEqual({ window });
  });

  it("refuses any other window and unknown parameters", () => {
    for (const window of ["1h", "7D", "", "24"])
      expect(ZServersQuery.safeParse({ window }).success).toBe(false);
    expect(ZServersQuery.safeParse({ window: "7d", server: "slack" }).success).toBe(false);
  });
});
