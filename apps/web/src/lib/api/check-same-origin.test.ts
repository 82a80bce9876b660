import { describe, expect, it } from "vitest";
import { checkSameOrigin } from "./check-same-origin";

function request(headers: Record<string, string>) {
  return new Request("http://localhost:3000/api/keys", { method: "POST", headers });
}

describe("checkSameOrigin", () => {
  it("accepts an Origin whose host is the request's host", () => {
    expect(() =>
      checkSameOrigin(request({ host: "localhost:3000", origin: "http://localhost:3000" })),
    ).not.toThrow();
  });

  it("refuses another origin, a different port and a lookalike host", () => {
    for (const origin of [
      "https://evil.example",
      "http://localhost:3001",
      "http://localhost:3000.evil.io",
    ]) {
      expect(() => checkSameOrigin(request({ host: "localhost:3000", origin }))).toThrow(/origin/i);
    }
  });

  it("refuses a malformed Origin and the opaque 'null' origin", () => {
    expect(() =>
      checkSameOrigin(request({ host: "localhost:3000", origin: "not a url" })),
    ).toThrow();
    expect(() => checkSameOrigin(request({ host: "localhost:3000", origin: "null" }))).toThrow();
  });

  it("without Origin, accepts only Sec-Fetch-Site: same-origin", () => {
    expect(() =>
      checkSameOrigin(request({ host: "localhost:3000", "sec-fetch-site": "same-origin" })),
    ).not.toThrow();
    expect(() =>
      checkSameOrigin(request({ host: "localhost:3000", "sec-fetch-site": "cross-site" })),
    ).toThrow();
    expect(() => checkSameOrigin(request({ host: "localhost:3000" }))).toThrow();
  });
});
