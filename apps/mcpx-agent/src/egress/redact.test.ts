import { describe, expect, it } from "vitest";
import { redactPath } from "./redact";

describe("redactPath", () => {
  it.each([
    [
      "/maps/api/geocode/json",
      "?address=Paris&key=AIzaSyD-secret-value-123",
      "/maps/api/geocode/json?address=[redacted]&key=[redacted]",
    ],
    ["/services/T0001/B0002/abcdEFGH1234ijklMNOP5678", "", "/services/T0001/B0002/[redacted]"],
    ["/api/chat.postMessage", "", "/api/chat.postMessage"],
    ["/v1/users/123/posts", "?flag", "/v1/users/123/posts?flag"],
    ["/hook/xoxb-1234-5678-abcdefghijkl", "", "/hook/[redacted]"],
    ["/repos/octo/hello-world/issues", "", "/repos/octo/hello-world/issues"],
  ])("%s%s → %s", (path, query, expected) => {
    expect(redactPath(path, query)).toBe(expected);
  });
});
