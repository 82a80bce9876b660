import { describe, expect, it } from "vitest";
import { parseTarget } from "../url/parse-target";
import type { TargetErrorCode, TargetInput } from "../url/target-types";
import { compileYaml, decide } from "./flows-test-kit";

// One org allowlist and one deny list; every case below is a request someone might use to get
// past them. The same cases are the examples of docs/FLOWS.md ("Matching, case by case").
const FLOWS = compileYaml(`
AllowFilter:
  processor: Filter
  parameters:
    - key: urls
      value:
        - "*.googleapis.com/*"            #0
        - slack.com/api/*                 #1
        - https://files.example.com/public/*  #2
        - api.example.com:8443/*          #3
        - 93.184.216.34/*                 #4
        - "[2606:4700::1111]/*"           #5
        - bücher.example/*                #6
        - 127.0.0.1:9000/*                #7
        - github.com/repos/*/issues       #8
DenyFilter:
  processor: Filter
  parameters:
    - key: action
      value: deny
    - key: urls
      value:
        - slack.com/api/secret/*          #0
`);

const ALLOW = (index: number) => ({ decision: "allowed", rule: `org:AllowFilter#${index}` });
const NOT_LISTED = { decision: "blocked", rule: "org:AllowFilter" };
const DENIED = { decision: "blocked", rule: "org:DenyFilter#0" };
const INTERNAL = { decision: "blocked", rule: "builtin:internal-address" };
const REFUSED = (code: TargetErrorCode) => ({ refused: code });

type Expected = { decision: string; rule: string } | { refused: TargetErrorCode };
type Case = readonly [string, TargetInput | string, Expected];

const CASES: readonly Case[] = [
  // Host globs: "*." is any subdomain, never the apex, never a look-alike.
  ["subdomain", "https://maps.googleapis.com/maps/api", ALLOW(0)],
  ["deeper subdomain", "https://a.b.googleapis.com/", ALLOW(0)],
  ["apex is not a subdomain", "https://googleapis.com/", NOT_LISTED],
  ["suffix without a dot", "https://evilgoogleapis.com/", NOT_LISTED],
  ["hyphenated look-alike", "https://maps-googleapis.com/", NOT_LISTED],
  ["allowed name as a prefix", "https://googleapis.com.evil.io/", NOT_LISTED],
  ["subdomain as a prefix", "https://maps.googleapis.com.evil.io/", NOT_LISTED],
  ["exact host only matches itself", "https://www.slack.com/api/x", NOT_LISTED],
  ["exact host's parent", "https://com/api/x", NOT_LISTED],
  // Case and trailing dots.
  ["upper-case host", "https://MAPS.GoogleAPIs.COM/x", ALLOW(0)],
  ["trailing dot", "https://slack.com./api/x", ALLOW(1)],
  ["trailing dot on the apex", "https://googleapis.com./", NOT_LISTED],
  ["two trailing dots", "https://slack.com../api/x", REFUSED("invalid_host")],
  ["empty label", "https://maps..googleapis.com/", REFUSED("invalid_host")],
  // IDN: hosts compare as punycode; homographs are other hosts.
  ["IDN host", "https://bücher.example/", ALLOW(6)],
  ["IDN host as punycode", "https://xn--bcher-kva.example/", ALLOW(6)],
  ["Cyrillic homograph of slack", "https://ѕlack.com/api/x", NOT_LISTED],
  ["full-width letters map to slack.com", "https://ＳＬＡＣＫ.com/api/x", ALLOW(1)],
  ["ideographic full stop is a dot", "https://slack。com/api/x", ALLOW(1)],
  // Ports: no port in a rule = the scheme's default port.
  ["explicit default port", "https://slack.com:443/api/x", ALLOW(1)],
  ["rule without scheme allows http on 80", "http://slack.com/api/x", ALLOW(1)],
  ["other port", "https://slack.com:8443/api/x", NOT_LISTED],
  ["http on 443 is not a default port", "http://slack.com:443/api/x", NOT_LISTED],
  ["rule with a port", "https://api.example.com:8443/v1", ALLOW(3)],
  ["rule with a port, default port", "https://api.example.com/v1", NOT_LISTED],
  ["rule with https only, http", "http://files.example.com/public/a", NOT_LISTED],
  ["rule with https only, https", "https://files.example.com/public/a", ALLOW(2)],
  // Paths: normalised, then matched.
  ["/api/* does not match /api", "https://slack.com/api", NOT_LISTED],
  ["/api/* matches /api/", "https://slack.com/api/", ALLOW(1)],
  ["dot segments", "https://slack.com/api/../admin", NOT_LISTED],
  ["encoded dot segments", "https://slack.com/api/%2e%2e/admin", NOT_LISTED],
  ["dot segments back into the allowed prefix", "https://slack.com/x/../api/y", ALLOW(1)],
  ["encoded unreserved characters", "https://slack.com/%61pi/x", ALLOW(1)],
  ["allow paths are case-sensitive", "https://slack.com/API/x", NOT_LISTED],
  ["encoded slashes climbing out", "https://slack.com/api/%2F..%2F..%2Fadmin", NOT_LISTED],
  ["encoded backslashes climbing out", "https://slack.com/api/x%5C..%5C..%5Cadmin", NOT_LISTED],
  ["Tomcat path parameter climbing out", "https://slack.com/api/..;/admin", NOT_LISTED],
  ["leading double slash", "https://slack.com//api/x", NOT_LISTED],
  ["query strings are not matched", "https://slack.com/api/x?next=/api/secret/y", ALLOW(1)],
  ["segment wildcard", "https://github.com/repos/acme/issues", ALLOW(8)],
  ["segment wildcard is one segment", "https://github.com/repos/acme/x/issues", NOT_LISTED],
  ["segment wildcard is never empty", "https://github.com/repos//issues", NOT_LISTED],
  ["exact path has no tail", "https://github.com/repos/acme/issues/1", NOT_LISTED],
  // Deny beats allow, and cannot be dodged by spelling.
  ["deny beats allow", "https://slack.com/api/secret/x", DENIED],
  ["deny paths are case-insensitive", "https://slack.com/api/SECRET/x", DENIED],
  ["deny sees encoded letters", "https://slack.com/api/%73ecret/x", DENIED],
  ["deny sees merged slashes", "https://slack.com/api//secret/x", DENIED],
  ["deny sees encoded slashes", "https://slack.com/api/x%2F..%2Fsecret/y", DENIED],
  ["deny sees path parameters", "https://slack.com/api/secret;x=1/y", DENIED],
  ["deny sees dot segments", "https://slack.com/api/x/../secret/y", DENIED],
  // IPv4 literals in every notation are one address.
  ["dotted-quad", "http://93.184.216.34/", ALLOW(4)],
  ["decimal", "http://1572395042/", ALLOW(4)],
  ["hex", "http://0x5d.0xb8.0xd8.0x22/", ALLOW(4)],
  ["octal", "http://0135.0270.0330.042/", ALLOW(4)],
  ["short form", "http://93.12113954/", ALLOW(4)],
  ["neighbouring address", "http://93.184.216.35/", NOT_LISTED],
  // Internal addresses are refused unless a rule names them.
  ["loopback, decimal", "http://2130706433/", INTERNAL],
  ["loopback, octal", "http://0177.0.0.1/", INTERNAL],
  ["loopback, hex", "http://0x7f.1/", INTERNAL],
  ["loopback, short", "http://127.1/", INTERNAL],
  ["loopback named by a rule", "http://127.0.0.1:9000/", ALLOW(7)],
  ["loopback named by a rule, hex", "http://0x7f.0.0.1:9000/", ALLOW(7)],
  ["loopback, another port", "http://127.0.0.1:9001/", INTERNAL],
  ["private", "http://10.0.0.1/", INTERNAL],
  ["unspecified", "http://0.0.0.0/", INTERNAL],
  ["unspecified, short", "http://0/", INTERNAL],
  // IPv6 and IPv4-mapped IPv6.
  ["IPv6 literal", "https://[2606:4700::1111]/", ALLOW(5)],
  ["IPv6 without zero compression", "https://[2606:4700:0:0:0:0:0:1111]/", ALLOW(5)],
  ["IPv6 with zero groups spelled out", "https://[2606:4700:0000:0000::1111]/", ALLOW(5)],
  ["neighbouring IPv6", "https://[2606:4700::1112]/", NOT_LISTED],
  ["IPv6 loopback", "http://[::1]/", INTERNAL],
  ["IPv6 loopback, long", "http://[0:0:0:0:0:0:0:1]/", INTERNAL],
  ["IPv4-mapped loopback named by a rule", "http://[::ffff:127.0.0.1]:9000/", ALLOW(7)],
  ["IPv4-mapped loopback", "http://[::ffff:7f00:1]/", INTERNAL],
  ["IPv4-compatible loopback", "http://[::127.0.0.1]/", INTERNAL],
  ["IPv6 link-local", "http://[fe80::1]/", INTERNAL],
  ["NAT64 of metadata", "http://[64:ff9b::a9fe:a9fe]/", INTERNAL],
  // Cloud metadata.
  ["metadata", "http://169.254.169.254/latest/meta-data/", INTERNAL],
  ["metadata, decimal", "http://2852039166/", INTERNAL],
  ["metadata, hex", "http://0xa9.0xfe.0xa9.0xfe/", INTERNAL],
  ["metadata, IPv4-mapped", "http://[::ffff:169.254.169.254]/", INTERNAL],
  ["metadata, AWS IPv6", "http://[fd00:ec2::254]/", INTERNAL],
  ["metadata, Alibaba", "http://100.100.100.200/", INTERNAL],
  ["metadata, Azure WireServer", "http://168.63.129.16/", INTERNAL],
  // Userinfo never counts as the host.
  ["allowed name as userinfo", "https://slack.com@evil.io/api/x", NOT_LISTED],
  ["allowed name and port as userinfo", "https://slack.com:443@evil.io/api/x", NOT_LISTED],
  ["userinfo stripped, real host allowed", "https://evil.io@slack.com/api/x", ALLOW(1)],
  ["backslash before @", "https://evil.io\\@slack.com/api/x", NOT_LISTED],
  ["fragment before @", "https://evil.io#@slack.com/api/x", NOT_LISTED],
  ["query before @", "https://evil.io?@slack.com/api/x", NOT_LISTED],
  // Percent-encoding and invalid characters in hosts are refused outright.
  ["percent-encoded host", "https://%73lack.com/api/x", REFUSED("percent_encoded_host")],
  ["percent-encoded @", "https://slack.com%40evil.io/api/x", REFUSED("percent_encoded_host")],
  ["percent-encoded dot", "https://slack.com%2eevil.io/", REFUSED("percent_encoded_host")],
  ["space in host", "https://sla ck.com/api/x", REFUSED("control_characters")],
  ["tab in host", "https://slack.com\t/api/x", REFUSED("control_characters")],
  ["punctuation in host", "https://slack!.com/api/x", REFUSED("invalid_host")],
  // CONNECT tunnels: decided on host and port.
  ["CONNECT allowed host", { kind: "connect", authority: "slack.com:443" }, ALLOW(1)],
  ["CONNECT subdomain", { kind: "connect", authority: "maps.googleapis.com:443" }, ALLOW(0)],
  ["CONNECT apex", { kind: "connect", authority: "googleapis.com:443" }, NOT_LISTED],
  ["CONNECT other host", { kind: "connect", authority: "evil.io:443" }, NOT_LISTED],
  ["CONNECT other port", { kind: "connect", authority: "slack.com:8443" }, NOT_LISTED],
  ["CONNECT decimal loopback", { kind: "connect", authority: "2130706433:443" }, INTERNAL],
  ["CONNECT IPv6 loopback", { kind: "connect", authority: "[::1]:443" }, INTERNAL],
  ["CONNECT without port", { kind: "connect", authority: "slack.com" }, REFUSED("missing_port")],
  [
    "CONNECT with userinfo",
    { kind: "connect", authority: "u@slack.com:443" },
    REFUSED("userinfo_not_allowed"),
  ],
  // Requests inside a tunnel: Host header plus path.
  [
    "Host header, allowed",
    { kind: "origin", hostHeader: "SLACK.COM.", path: "/api/x", scheme: "https" },
    ALLOW(1),
  ],
  [
    "authority-looking path stays on the Host",
    { kind: "origin", hostHeader: "slack.com", path: "//evil.io/api/x", scheme: "https" },
    NOT_LISTED,
  ],
];

describe("bypass attempts against an allowlist and a deny list", () => {
  it.each(CASES)("%s: %o", (_name, input, expected) => {
    const parsed = parseTarget(
      typeof input === "string" ? { kind: "absolute", url: input } : input,
    );
    if ("refused" in expected) {
      expect(parsed.ok ? parsed.target : parsed.error.code).toBe(expected.refused);
      return;
    }
    const result = decide(FLOWS, input);
    expect({ decision: result.decision, rule: result.rule }).toEqual(expected);
  });

  it("has at least 60 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });
});
