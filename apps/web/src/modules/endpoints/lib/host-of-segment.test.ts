import { describe, expect, it } from "vitest";
import { hostOfSegment } from "./host-of-segment";

describe("hostOfSegment", () => {
  it("decodes the segment once and lower-cases it, as hosts are stored", () => {
    const hostile = "<img src=x onerror=alert(1)>.evil.example";
    expect(hostOfSegment(encodeURIComponent(hostile))).toBe(hostile);
    expect(hostOfSegment("API.Example.COM")).toBe("api.example.com");
    expect(hostOfSegment("100%2525.example")).toBe("100%25.example");
  });

  it("names no host for a malformed encoding, an empty or a too long one", () => {
    expect(hostOfSegment("%E0%A4%A")).toBeNull();
    expect(hostOfSegment("")).toBeNull();
    expect(hostOfSegment("a".repeat(254))).toBeNull();
  });
});
