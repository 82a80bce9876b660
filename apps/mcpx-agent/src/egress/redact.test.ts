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
    // Segments of exactly 16 characters are still looked at; 15 never are.
    ["/k/sk-0123456789abc", "", "/k/[redacted]"],
    ["/k/sk-0123456789ab", "", "/k/sk-0123456789ab"],
    ["/sk-0123456789abc", "", "/[redacted]"],
    ["/a/b/", "", "/a/b/"],
    [`/${"a/".repeat(1100)}`, "", `/${"a/".repeat(1100)}`.slice(0, 2048)],
  ])("%s%s → %s", (path, query, expected) => {
    expect(redactPath(path, query)).toBe(expected);
  });
});
