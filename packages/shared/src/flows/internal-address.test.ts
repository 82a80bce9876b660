import { describe, expect, it } from "vitest";
import { compileFlows } from "./compile-flows";
import { evaluateRequest } from "./evaluate-request";
import { evaluateResolved, type ResolvedAddress } from "./evaluate-resolved";
import type { FlowRequest } from "./flow-decision";
import { compileYaml, targetOf } from "./flows-test-kit";

// The proxy resolves a domain, then asks whether it may dial that address.
function decideResolved(
  flows: ReturnType<typeof compileFlows>,
  url: string,
  resolved: ResolvedAddress,
  server: string | null = null,
) {
  const request: FlowRequest = { target: targetOf(url), method: "GET", server };
  const decision = evaluateRequest(flows, request);
  const final = evaluateResolved(flows, request, decision, resolved);
  return { decision: final.decision, rule: final.rule };
}

const dns = (address: string): ResolvedAddress => ({ address, source: "dns" });
const INTERNAL = { decision: "blocked", rule: "builtin:internal-address" };

describe("evaluateResolved: internal addresses after name resolution", () => {
  const none = compileFlows({ flows: [] });
  const flows = compileYaml(`
Allow:
  processor: Filter
  parameters:
    - key: urls
      value: ["*.corp.example/*", db.corp.example/*, localhost:3000/*, "*.googleapis.com/*"]
Deny:
  processor: Filter
  parameters:
    - { key: action, value: deny }
    - { key: urls, value: ["8.8.4.4", "[2001:4860:4860::8844]"] }
`);

  // url, resolved address → decision, rule
  it.each([
    [
      "visibility mode, public address",
      none,
      "https://example.com/",
      dns("93.184.216.34"),
      { decision: "allowed", rule: null },
    ],
    [
      "visibility mode, DNS rebinding to loopback",
      none,
      "https://rebind.example/",
      dns("127.0.0.1"),
      INTERNAL,
    ],
    [
      "visibility mode, metadata",
      none,
      "http://metadata.google.internal/",
      dns("169.254.169.254"),
      INTERNAL,
    ],
    [
      "visibility mode, IPv4-mapped metadata",
      none,
      "https://x.example/",
      dns("::ffff:169.254.169.254"),
      INTERNAL,
    ],
    [
      "visibility mode, AWS IPv6 metadata",
      none,
      "https://x.example/",
      dns("fd00:ec2::254"),
      INTERNAL,
    ],
    ["visibility mode, private", none, "https://x.example/", dns("10.1.2.3"), INTERNAL],
    [
      "visibility mode, operator --resolve mapping",
      none,
      "https://slack.com/",
      { address: "127.0.0.1", source: "operator" as const },
      { decision: "allowed", rule: null },
    ],
    [
      "a '*.' glob never reaches internal addresses",
      flows,
      "https://wiki.corp.example/",
      dns("10.0.0.5"),
      INTERNAL,
    ],
    [
      "a rule naming the host exactly does",
      flows,
      "https://db.corp.example/",
      dns("10.0.0.6"),
      { decision: "allowed", rule: "org:Allow#1" },
    ],
    [
      "localhost named with its port",
      flows,
      "http://localhost:3000/",
      dns("127.0.0.1"),
      { decision: "allowed", rule: "org:Allow#2" },
    ],
    [
      "a glob to a public address",
      flows,
      "https://maps.googleapis.com/",
      dns("142.250.0.1"),
      { decision: "allowed", rule: "org:Allow#3" },
    ],
    [
      "an IP deny rule holds whatever name resolves to it",
      flows,
      "https://maps.googleapis.com/",
      dns("8.8.4.4"),
      { decision: "blocked", rule: "org:Deny#0" },
    ],
    [
      "an IPv6 deny rule too",
      flows,
      "https://maps.googleapis.com/",
      dns("2001:4860:4860:0:0:0:0:8844"),
      { decision: "blocked", rule: "org:Deny#1" },
    ],
    ["the resolver returns garbage", none, "https://x.example/", dns("not-an-ip"), INTERNAL],
    [
      "blocked stays blocked",
      flows,
      "https://evil.io/",
      dns("93.184.216.34"),
      { decision: "blocked", rule: "org:Allow" },
    ],
  ])("%s", (_name, compiled, url, resolved, expected) => {
    expect(decideResolved(compiled, url, resolved)).toEqual(expected);
  });

  it("a blocked result carries the scope's response", () => {
    const request: FlowRequest = {
      target: targetOf("https://x.example/"),
      method: "GET",
      server: null,
    };
    const decision = evaluateRequest(none, request);
    expect(evaluateResolved(none, request, decision, dns("127.0.0.1"))).toMatchObject({
      decision: "blocked",
      reason: expect.stringContaining("loopback"),
      response: { status: 403, body: "Forbidden Access", contentType: "text/plain" },
    });
  });
});
