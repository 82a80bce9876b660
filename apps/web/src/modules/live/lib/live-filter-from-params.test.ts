import { describe, expect, it } from "vitest";
import { liveFilterFromParams, liveLogsUrl } from "./live-filter-from-params";

describe("liveFilterFromParams", () => {
  it("takes the form's fields from the URL, names as given", () => {
    expect(
      liveFilterFromParams({ server: "<img src=x onerror=alert(1)>", host: "slack.com" }),
    ).toEqual({ server: "<img src=x onerror=alert(1)>", host: "slack.com" });
    expect(liveFilterFromParams({ decision: "blocked" })).toEqual({ decision: "blocked" });
    expect(liveFilterFromParams({ host: "api.example.com", endpoint: "/v1/users/{id}" })).toEqual({
      host: "api.example.com",
      endpoint: "/v1/users/{id}",
    });
  });

  it("drops what is invalid, repeated or not a form field, instead of failing the page", () => {
    expect(
      liveFilterFromParams({
        server: "",
        host: "x".repeat(254),
        decision: "maybe",
        kind: "tool_call",
        other: "1",
      }),
    ).toEqual({});
    expect(liveFilterFromParams({ server: ["a", "b"] })).toEqual({});
  });
});

describe("liveLogsUrl", () => {
  it("round-trips through liveFilterFromParams, escaping what a name holds", () => {
    const filter = { server: "a&b=c #?", decision: "allowed" as const };
    const url = liveLogsUrl(filter);
    expect(url).toBe("/live?server=a%26b%3Dc+%23%3F&decision=allowed");
    const params = Object.fromEntries(new URL(url, "http://x").searchParams);
    expect(liveFilterFromParams(params)).toEqual(filter);
    expect(liveLogsUrl({})).toBe("/live");
  });
});
