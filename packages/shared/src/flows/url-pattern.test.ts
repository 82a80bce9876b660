import { describe, expect, it } from "vitest";
import type { UrlPattern } from "./flow-types";
import { matchPathPattern, parsePathPattern } from "./path-pattern";
import { parseUrlPattern } from "./url-pattern";

type Read = Omit<UrlPattern, "source">;

// url glob as written → what the matcher holds.
const READS: readonly [string, Read][] = [
  [
    "api.slack.com/*",
    {
      scheme: null,
      host: { kind: "exact", host: "api.slack.com", hostKind: "domain" },
      port: null,
      path: { kind: "any" },
    },
  ],
  [
    "api.slack.com",
    {
      scheme: null,
      host: { kind: "exact", host: "api.slack.com", hostKind: "domain" },
      port: null,
      path: { kind: "any" },
    },
  ],
  [
    "*.googleapis.com/*",
    {
      scheme: null,
      host: { kind: "subdomains", suffix: "googleapis.com" },
      port: null,
      path: { kind: "any" },
    },
  ],
  [
    "HTTPS://Slack.COM./api/*",
    {
      scheme: "https",
      host: { kind: "exact", host: "slack.com", hostKind: "domain" },
      port: null,
      path: { kind: "prefix", prefix: "/api/" },
    },
  ],
  [
    "slack.com:8443/api/chat.postMessage",
    {
      scheme: null,
      host: { kind: "exact", host: "slack.com", hostKind: "domain" },
      port: 8443,
      path: { kind: "exact", path: "/api/chat.postMessage" },
    },
  ],
  [
    "*.bücher.example",
    {
      scheme: null,
      host: { kind: "subdomains", suffix: "xn--bcher-kva.example" },
      port: null,
      path: { kind: "any" },
    },
  ],
  [
    "0x7f.1:9000",
    {
      scheme: null,
      host: { kind: "exact", host: "127.0.0.1", hostKind: "ipv4" },
      port: 9000,
      path: { kind: "any" },
    },
  ],
  [
    "[::ffff:10.0.0.1]/x",
    {
      scheme: null,
      host: { kind: "exact", host: "10.0.0.1", hostKind: "ipv4" },
      port: null,
      path: { kind: "exact", path: "/x" },
    },
  ],
  [
    "[2606:4700:0:0::1111]:443/*",
    {
      scheme: null,
      host: { kind: "exact", host: "2606:4700::1111", hostKind: "ipv6" },
      port: 443,
      path: { kind: "any" },
    },
  ],
  [
    "github.com/repos/*/issues/*",
    {
      scheme: null,
      host: { kind: "exact", host: "github.com", hostKind: "domain" },
      port: null,
      path: { kind: "segments", segments: ["repos", null, "issues"], rest: true },
    },
  ],
  [
    "example.com/%7Euser/a%2fb",
    {
      scheme: null,
      host: { kind: "exact", host: "example.com", hostKind: "domain" },
      port: null,
      path: { kind: "exact", path: "/~user/a%2Fb" },
    },
  ],
  [
    "example.com/",
    {
      scheme: null,
      host: { kind: "exact", host: "example.com", hostKind: "domain" },
      port: null,
      path: { kind: "exact", path: "/" },
    },
  ],
];

const REFUSED: readonly [string, string][] = [
  ["*.com", "public suffix"],
  ["*.co.uk/*", "public suffix"],
  ["*", 'leading "*." label'],
  ["*slack.com", 'leading "*." label'],
  ["api.*.com", 'leading "*." label'],
  ["*.*.example.com", 'leading "*." label'],
  ["*.10.0.0.1", "only goes in front of a domain"],
  ["slack.com/api*", "whole path segment"],
  ["slack.com/**", "whole path segment"],
  ["slack.com/./x", "segments are not allowed"],
  ["slack.com/%2e%2e/x", "segments are not allowed"],
  ["slack.com/x?y", "queries and fragments"],
  ["slack.com/x#y", "queries and fragments"],
  ["u:p@slack.com", "userinfo"],
  ["slack.com:", "not a port"],
  ["slack.com:0", "not a port"],
  ["slack.com:*", "not a port"],
  ["ws://slack.com", "unsupported scheme"],
  ["slack .com", "spaces"],
  ["slack.com\\x", '"\\"'],
  ["%73lack.com", "percent-encoded"],
  ["sl_ck!.com", "not a valid host"],
  ["", "empty"],
];

describe("parseUrlPattern", () => {
  it.each(READS)("%s", (source, expected) => {
    const parsed = parseUrlPattern(source);
    expect(parsed.ok && parsed.pattern).toEqual({ source, ...expected });
  });

  it.each(REFUSED)("refuses %o (%s)", (source, message) => {
    const parsed = parseUrlPattern(source);
    expect(parsed.ok ? "accepted" : parsed.message).toContain(message);
  });
});

describe("path globs", () => {
  // glob, path → matches?
  it.each([
    ["/*", "/", true],
    ["/*", "/a/b", true],
    ["/api/*", "/api/", true],
    ["/api/*", "/api/a/b", true],
    ["/api/*", "/api", false],
    ["/api/*", "/apix/y", false],
    ["/api", "/api", true],
    ["/api", "/api/", false],
    ["/a/*/c", "/a/b/c", true],
    ["/a/*/c", "/a//c", false],
    ["/a/*/c", "/a/b/c/d", false],
    ["/a/*/c/*", "/a/b/c/", true],
    ["/a/*/c/*", "/a/b/c", false],
  ])("%s vs %s → %s", (glob, path, matches) => {
    const parsed = parsePathPattern(glob);
    expect(parsed.ok && matchPathPattern(parsed.pattern, path)).toBe(matches);
  });
});
