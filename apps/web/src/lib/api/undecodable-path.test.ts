import { describe, expect, it } from "vitest";
import { isUndecodablePath, undecodablePathResponse } from "./undecodable-path";

describe("isUndecodablePath", () => {
  it("finds broken escapes, bytes that are not UTF-8 and encoded lone surrogates", () => {
    for (const path of [
      "/api/keys/%E0%A4%A",
      "/api/%",
      "/api/%G0",
      "/api/%FF",
      "/api/keys/%ED%A0%80",
      "/providers/%C0%80",
    ])
      expect(isUndecodablePath(path), path).toBe(true);
  });

  it("passes well-formed addresses", () => {
    for (const path of ["/api/keys", "/api/providers/caf%C3%A9/endpoints", "/a%2Fb", "/%00"])
      expect(isUndecodablePath(path), path).toBe(false);
  });
});

describe("undecodablePathResponse", () => {
  it("is problem+json with a request id under /api, plain text elsewhere", async () => {
    const api = undecodablePathResponse("/api/keys/%E0");
    expect(api.status).toBe(400);
    expect(api.headers.get("content-type")).toBe("application/problem+json");
    const body = await api.json();
    expect(body).toMatchObject({ code: "bad_request", requestId: api.headers.get("x-request-id") });
    const page = undecodablePathResponse("/providers/%E0");
    expect(page.status).toBe(400);
    expect(page.headers.get("content-type")).toContain("text/plain");
  });
});
