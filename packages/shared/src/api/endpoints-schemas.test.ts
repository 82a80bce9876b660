import { describe, expect, it } from "vitest";
import { ZHostEndpointsParams, ZHostEndpointsQuery } from "./endpoints-schemas";

describe("ZHostEndpointsQuery", () => {
  it("takes 24h, 7d or 30d; 24h when absent", () => {
    expect(ZHostEndpointsQuery.parse({})).toEqual({ window: "24h" });
    for (const window of ["24h", "7d", "30d"] as const)
      expect(ZHostEndpointsQuery.parse({ window })).toEqual({ window });
  });

  it("refuses any other window and unknown parameters", () => {
    for (const window of ["1y", "1h", "7D", ""])
      expect(ZHostEndpointsQuery.safeParse({ window }).success).toBe(false);
    expect(ZHostEndpointsQuery.safeParse({ window: "7d", host: "x" }).success).toBe(false);
  });
});

describe("ZHostEndpointsParams", () => {
  it("lower-cases the host, as the ingest stores it", () => {
    expect(ZHostEndpointsParams.parse({ host: "API.Example.COM" })).toEqual({
      host: "api.example.com",
    });
  });

  it("refuses an empty host and one longer than 253 characters", () => {
    expect(ZHostEndpointsParams.safeParse({ host: "" }).success).toBe(false);
    expect(ZHostEndpointsParams.safeParse({ host: "a".repeat(253) }).success).toBe(true);
    expect(ZHostEndpointsParams.safeParse({ host: "a".repeat(254) }).success).toBe(false);
  });
});
