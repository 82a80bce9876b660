import { describe, expect, it } from "vitest";
import { agentWebSocketUrl } from "./gateway-url";

describe("agentWebSocketUrl", () => {
  it.each([
    ["http://localhost:8080", "ws://localhost:8080/v1/agent"],
    ["http://localhost:8080/", "ws://localhost:8080/v1/agent"],
    ["https://hosted-gateway.lunar.dev/", "wss://hosted-gateway.lunar.dev/v1/agent"],
    ["https://gw.example.com/custom/path", "wss://gw.example.com/custom/path"],
    ["wss://gw.example.com", "wss://gw.example.com/v1/agent"],
    ["http://127.0.0.1:8080/?region=eu", "ws://127.0.0.1:8080/v1/agent?region=eu"],
  ])("%s → %s", (input, expected) => {
    expect(agentWebSocketUrl(input)).toBe(expected);
  });

  it("refuses a URL that is not one, and other schemes", () => {
    expect(() => agentWebSocketUrl("localhost:8080")).toThrow(/http\(s\)/);
    expect(() => agentWebSocketUrl("not a url")).toThrow(/not a URL/);
    expect(() => agentWebSocketUrl("ftp://gw.example.com")).toThrow(/http\(s\)/);
  });
});
