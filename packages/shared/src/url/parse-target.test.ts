import { domainToASCII } from "node:url";
import { describe, expect, it } from "vitest";
import { normalizeHost } from "./host";
import { parseTarget } from "./parse-target";
import type { ParsedTarget, TargetErrorCode, TargetInput } from "./target-types";

type Expected = Partial<ParsedTarget> | { error: TargetErrorCode };

function expectTarget(input: TargetInput, expected: Expected): void {
  const result = parseTarget(input);
  if ("error" in expected) {
    expect(result.ok ? result.target : result.error.code).toBe(expected.error);
    return;
  }
  expect(result.ok ? result.target : result.error).toMatchObject(expected);
}

// input → the target the proxy checks and dials (or the refusal).
const ABSOLUTE: readonly [string, Expected][] = [
  [
    "https://Slack.COM/api/x?y=1",
    { scheme: "https", host: "slack.com", port: 443, path: "/api/x", query: "?y=1" },
  ],
  ["HTTP://slack.com", { scheme: "http", host: "slack.com", port: 80, path: "/", query: "" }],
  ["https://slack.com./api", { host: "slack.com", path: "/api" }],
  ["https://slack.com:443/", { port: 443 }],
  ["https://slack.com:0443/", { port: 443 }],
  ["http://slack.com:8080/", { port: 8080 }],
  ["http://slack.com:/", { port: 80 }],
  ["https://bücher.example/", { host: "xn--bcher-kva.example", hostKind: "domain" }],
  ["https://ＡＰＩ.slack.com/", { host: "api.slack.com" }],
  ["https://api.slack.com。/", { host: "api.slack.com" }],
  ["https://аpple.com/", { host: "xn--pple-43d.com" }],
  ["http://2130706433/", { host: "127.0.0.1", hostKind: "ipv4" }],
  ["http://0177.0.0.1/", { host: "127.0.0.1", hostKind: "ipv4" }],
  ["http://0x7f.1/", { host: "127.0.0.1", hostKind: "ipv4" }],
  ["http://127.1/", { host: "127.0.0.1", hostKind: "ipv4" }],
  ["http://127.0.0.1./", { host: "127.0.0.1", hostKind: "ipv4" }],
  ["http://[::1]:8080/", { host: "::1", hostKind: "ipv6", port: 8080 }],
  ["http://[0:0:0:0:0:0:0:1]/", { host: "::1", hostKind: "ipv6" }],
  ["http://[2606:4700:0:0:0:0:0:1111]/", { host: "2606:4700::1111", hostKind: "ipv6" }],
  ["http://[2606:4700::ABCD]/", { host: "2606:4700::abcd" }],
  ["http://[::ffff:127.0.0.1]/", { host: "127.0.0.1", hostKind: "ipv4" }],
  ["http://[::ffff:7f00:1]/", { host: "127.0.0.1", hostKind: "ipv4" }],
  ["http://[::127.0.0.1]/", { host: "::7f00:1", hostKind: "ipv6" }],
  ["https://slack.com@evil.io/", { host: "evil.io", path: "/" }],
  ["https://user:pa%40ss@slack.com/api", { host: "slack.com", path: "/api" }],
  ["https://evil.io\\@slack.com/", { host: "evil.io", path: "/@slack.com/" }],
  ["https://evil.io#@slack.com/", { host: "evil.io", path: "/" }],
  ["https://evil.io?@slack.com/", { host: "evil.io", query: "?@slack.com/" }],
  ["https://a/b/../c", { path: "/c" }],
  ["https://a/b/%2e%2E/c", { path: "/c" }],
  ["https://a/b/.%2e/c", { path: "/c" }],
  ["https://a/%61%7e%2f%2a", { path: "/a~%2F%2A" }],
  ["https://a/b\\c", { path: "/b/c" }],
  ["https://a/ä b", { error: "control_characters" }],
  ["https://a/ä", { path: "/%C3%A4" }],
  ["https://a/x#frag", { path: "/x", query: "" }],
  ["https://%73lack.com/", { error: "percent_encoded_host" }],
  ["https://slack.com%2eevil.io/", { error: "percent_encoded_host" }],
  ["https://sla ck.com/", { error: "control_characters" }],
  ["https://slack.com\t/", { error: "control_characters" }],
  ["https://slack.com\u0000/", { error: "control_characters" }],
  ["https://slack..com/", { error: "invalid_host" }],
  ["https://.slack.com/", { error: "invalid_host" }],
  ["https://slack.com../", { error: "invalid_host" }],
  ["https://sl*ck.com/", { error: "invalid_host" }],
  ["https://sl!ck.com/", { error: "invalid_host" }],
  ["https:///slack.com/", { error: "invalid_host" }],
  ["https:\\\\slack.com/", { error: "invalid_url" }],
  ["http://1.2.3.4.5/", { error: "invalid_host" }],
  ["http://256.0.0.1/", { error: "invalid_host" }],
  ["http://[fe80::1%25eth0]/", { error: "percent_encoded_host" }],
  ["http://[::1/", { error: "invalid_host" }],
  ["http://slack.com:0/", { error: "invalid_port" }],
  ["http://slack.com:65536/", { error: "invalid_port" }],
  ["http://slack.com:8o/", { error: "invalid_port" }],
  ["ftp://slack.com/", { error: "unsupported_scheme" }],
  ["ws://slack.com/", { error: "unsupported_scheme" }],
  ["slack.com/api", { error: "invalid_url" }],
];

const CONNECT: readonly [string, Expected][] = [
  ["slack.com:443", { form: "connect", scheme: "https", host: "slack.com", port: 443, path: "/" }],
  ["SLACK.com.:443", { host: "slack.com" }],
  ["slack.com:80", { scheme: "http", port: 80 }],
  ["slack.com:8443", { scheme: "https", port: 8443 }],
  ["2130706433:443", { host: "127.0.0.1", hostKind: "ipv4" }],
  ["[::ffff:169.254.169.254]:443", { host: "169.254.169.254", hostKind: "ipv4" }],
  ["[2606:4700::1111]:443", { host: "2606:4700::1111", hostKind: "ipv6" }],
  ["bücher.example:443", { host: "xn--bcher-kva.example" }],
  ["slack.com", { error: "missing_port" }],
  ["slack.com:", { error: "missing_port" }],
  ["user@slack.com:443", { error: "userinfo_not_allowed" }],
  ["slack.com@evil.io:443", { error: "userinfo_not_allowed" }],
  ["%73lack.com:443", { error: "percent_encoded_host" }],
  ["slack.com:443/x", { error: "invalid_host" }],
  ["::1:443", { error: "invalid_host" }],
  ["slack.com :443", { error: "control_characters" }],
  ["slack.com:99999", { error: "invalid_port" }],
];

const ORIGIN: readonly [TargetInput & { kind: "origin" }, Expected][] = [
  [
    { kind: "origin", hostHeader: "Slack.com", path: "/api/x?q=1", scheme: "https" },
    { form: "origin", host: "slack.com", port: 443, path: "/api/x", query: "?q=1" },
  ],
  [{ kind: "origin", hostHeader: "slack.com:8080", path: "/", scheme: "http" }, { port: 8080 }],
  [
    { kind: "origin", hostHeader: "slack.com.", path: "/", scheme: "http" },
    { host: "slack.com", port: 80 },
  ],
  [{ kind: "origin", hostHeader: "0x7f.1", path: "/", scheme: "http" }, { host: "127.0.0.1" }],
  // A path that looks like an authority stays a path: it can never change the host.
  [
    { kind: "origin", hostHeader: "slack.com", path: "//evil.io/x", scheme: "https" },
    { host: "slack.com", path: "//evil.io/x" },
  ],
  [
    { kind: "origin", hostHeader: "slack.com", path: "/\\evil.io/x", scheme: "https" },
    { host: "slack.com", path: "//evil.io/x" },
  ],
  [
    { kind: "origin", hostHeader: "slack.com", path: "/api/../admin", scheme: "https" },
    { path: "/admin" },
  ],
  [
    { kind: "origin", hostHeader: "slack.com", path: "*", scheme: "https" },
    { error: "invalid_path" },
  ],
  [
    { kind: "origin", hostHeader: "slack.com", path: "api", scheme: "https" },
    { error: "invalid_path" },
  ],
  [
    { kind: "origin", hostHeader: "slack.com", path: "/x#y", scheme: "https" },
    { error: "invalid_path" },
  ],
  [
    { kind: "origin", hostHeader: "slack.com", path: "/a b", scheme: "https" },
    { error: "control_characters" },
  ],
  [
    { kind: "origin", hostHeader: "u@slack.com", path: "/", scheme: "https" },
    { error: "userinfo_not_allowed" },
  ],
  [
    { kind: "origin", hostHeader: "slack.com/x", path: "/", scheme: "https" },
    { error: "invalid_host" },
  ],
  [{ kind: "origin", hostHeader: "", path: "/", scheme: "https" }, { error: "invalid_host" }],
];

describe("parseTarget, absolute-form (proxy request line)", () => {
  it.each(ABSOLUTE)("%s", (url, expected) => expectTarget({ kind: "absolute", url }, expected));
});

describe("parseTarget, CONNECT authority", () => {
  it.each(CONNECT)("%s", (authority, expected) =>
    expectTarget({ kind: "connect", authority }, expected),
  );
});

describe("parseTarget, origin-form with a Host header", () => {
  it.each(ORIGIN)("%o", (input, expected) => expectTarget(input, expected));
});

describe("normalizeHost", () => {
  it("is idempotent on what it produces", () => {
    for (const host of [
      "slack.com",
      "xn--bcher-kva.example",
      "127.0.0.1",
      "::1",
      "2606:4700::1111",
    ]) {
      const once = normalizeHost(host);
      expect(once.ok && normalizeHost(once.host)).toEqual(once);
    }
  });

  it("agrees with Node's url.domainToASCII on IDN, case, dots and IPv4 notations", () => {
    const hosts = [
      "bücher.example",
      "ＡＰＩ.slack.com",
      "аpple.com",
      "faß.de",
      "☃.com",
      "Slack.COM",
      "0x7f.1",
      "127.1",
      "2130706433",
    ];
    for (const host of hosts) {
      const ours = normalizeHost(host);
      expect(ours.ok && ours.host).toBe(domainToASCII(host));
    }
  });
});
