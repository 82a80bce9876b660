import { describe, expect, it } from "vitest";
import { alternatePathReading, normalizePathname, removeDotSegments } from "./path";

describe("normalizePathname", () => {
  it.each([
    ["/", "/"],
    ["/a/b", "/a/b"],
    ["/%61%62%7e%2D%2e%5f", "/ab~-._"],
    ["/%2f%5c%3a", "/%2F%5C%3A"],
    ["/a/%2e%2e/b", "/b"],
    ["/a/b/..", "/a/"],
    ["/../../a", "/a"],
    ["/a//b", "/a//b"],
    ["/%zz", "/%zz"],
  ])("%s → %s", (input, expected) => {
    expect(normalizePathname(input)).toBe(expected);
  });

  it("removeDotSegments follows RFC 3986 §5.2.4", () => {
    expect(removeDotSegments("/a/b/c/./../../g")).toBe("/a/g");
    expect(removeDotSegments("/a/./b/")).toBe("/a/b/");
    expect(removeDotSegments("/..")).toBe("/");
  });
});

describe("alternatePathReading", () => {
  it.each([
    ["/api/x", null],
    ["/api/x%2F..%2F..%2Fadmin", "/admin"],
    ["/api/x%2F..%2Fadmin", "/api/admin"],
    ["/api/%2F..%2F..%2Fadmin", "/admin"],
    ["/api/..;/admin", "/admin"],
    ["/api;v=1/x", "/api/x"],
    ["//admin/x", "/admin/x"],
    ["/a%5C..%5Cadmin", "/admin"],
  ])("%s → %s", (path, expected) => {
    expect(alternatePathReading(path)).toBe(expected);
  });
});
