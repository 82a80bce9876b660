import { describe, expect, it } from "vitest";
import { connectMatchesHostHeader, hostsMatch } from "./hosts-match";
import type { Scheme } from "./target-types";

// CONNECT authority, Host header inside the tunnel, inner scheme → same target?
const CASES: readonly [string, string, Scheme, boolean][] = [
  ["slack.com:443", "slack.com", "https", true],
  ["slack.com:443", "slack.com:443", "https", true],
  ["slack.com:443", "SLACK.COM.", "https", true],
  ["bücher.example:443", "xn--bcher-kva.example", "https", true],
  ["127.0.0.1:443", "2130706433", "https", true],
  ["[::ffff:127.0.0.1]:443", "127.0.0.1", "https", true],
  ["[0:0::1]:443", "[::1]", "https", true],
  ["slack.com:8443", "slack.com:8443", "https", true],
  ["slack.com:80", "slack.com", "http", true],
  // Domain fronting: a tunnel approved for one host, a request for another inside it.
  ["slack.com:443", "evil.io", "https", false],
  ["slack.com:443", "api.slack.com", "https", false],
  ["slack.com:443", "slack.com.evil.io", "https", false],
  ["slack.com:8443", "slack.com", "https", false],
  ["slack.com:443", "slack.com", "http", false],
  ["slack.com:443", "slack.com:80", "https", false],
  ["slack.com:443", "evil.io@slack.com", "https", false],
  ["slack.com:443", "%73lack.com", "https", false],
  ["slack.com", "slack.com", "https", false],
];

describe("connectMatchesHostHeader", () => {
  it.each(CASES)("CONNECT %s, Host %s (%s) → %s", (authority, hostHeader, scheme, same) => {
    expect(connectMatchesHostHeader(authority, hostHeader, scheme)).toBe(same);
  });
});

describe("hostsMatch", () => {
  it("compares normalised host and port", () => {
    expect(hostsMatch({ host: "slack.com", port: 443 }, { host: "slack.com", port: 443 })).toBe(
      true,
    );
    expect(hostsMatch({ host: "slack.com", port: 443 }, { host: "slack.com", port: 80 })).toBe(
      false,
    );
    expect(hostsMatch({ host: "slack.com", port: 443 }, { host: "evil.io", port: 443 })).toBe(
      false,
    );
  });
});
