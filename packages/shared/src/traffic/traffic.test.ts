import { describe, expect, it } from "vitest";
import { endpointTemplateOf } from "./endpoint-template";
import { providerDomainOf } from "./provider-domain";

describe("providerDomainOf", () => {
  it.each([
    ["maps.googleapis.com", "googleapis.com"],
    ["slack.com", "slack.com"],
    ["api.badactor.com", "badactor.com"],
    ["API.Slack.COM.", "slack.com"],
    ["foo.bar.co.uk", "bar.co.uk"],
    ["myapp.herokuapp.com", "herokuapp.com"],
    ["127.0.0.1", "127.0.0.1"],
    ["localhost", "localhost"],
  ])("%s belongs to %s", (host, domain) => {
    expect(providerDomainOf(host)).toBe(domain);
  });
});

describe("endpointTemplateOf", () => {
  it.each([
    ["/api/chat.postMessage", "/api/chat.postMessage"],
    ["/users/123/posts?page=2", "/users/{id}/posts"],
    ["/v1/items/0193a0b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b", "/v1/items/{id}"],
    ["/maps/api/geocode/json?key=[redacted]&address=x", "/maps/api/geocode/json"],
    ["/services/T000/B000/[redacted]", "/services/T000/B000/{id}"],
    ["/conversations/C024BE91L/history", "/conversations/{id}/history"],
    ["/", "/"],
    ["", "/"],
  ])("%s → %s", (path, template) => {
    expect(endpointTemplateOf(path)).toBe(template);
  });

  it("bounds the number of segments and the length", () => {
    const deep = `/${Array.from({ length: 40 }, (_, i) => `s${i}x`).join("/")}`;
    expect(endpointTemplateOf(deep).split("/").length).toBeLessThanOrEqual(14);
    expect(endpointTemplateOf(`/${"a".repeat(1000)}`).length).toBeLessThanOrEqual(256);
  });
});
