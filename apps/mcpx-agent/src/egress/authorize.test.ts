import { type ParsedTarget, parseTarget } from "@lunar/shared";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { toPlain } from "../testing/egress-harness";
import { authorize, EGRESS_RULES } from "./authorize";
import { type Dialer, loopbackOnlyDialer } from "./dialer";
import type { EgressContext } from "./egress-context";
import { FlowsState } from "./flows-state";
import type { EgressRequest, EgressRule } from "./rules/egress-rule";

// The one egress decision, on its own: real flows, a dialer that only resolves (nothing here
// connects), and the rules as the proxy runs them.
const FLOWS = `
Allow:
  processor: Filter
  parameters:
    - key: urls
      value: ["*.example.com/*", "127.0.0.1:9000/*"]
Answer:
  processor: GenerateResponse
  parameters:
    - { key: status, value: 451 }
    - { key: body, value: "Not here" }
`;

function contextWith(options: Partial<EgressContext> & { dialer?: Dialer } = {}): EgressContext {
  const log = pino({ level: "silent" });
  const flows = new FlowsState({ failClosed: false, cachePath: null, log });
  flows.apply(1, toPlain(FLOWS), "file");
  return {
    server: "tests",
    flows,
    dialer: loopbackOnlyDialer(),
    resolveOverrides: new Map(),
    ca: null,
    noInspect: new Set(),
    upstreamCAs: [],
    ownPorts: new Set(),
    builtinAllow: new Map(),
    correlationId: () => null,
    record: () => {},
    log,
    ...options,
  };
}

function target(url: string): ParsedTarget {
  const parsed = parseTarget({ kind: "absolute", url });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.target;
}

function requestTo(url: string, tunnel: ParsedTarget | null = null): EgressRequest {
  return { target: target(url), method: "GET", server: "tests", tunnel };
}

describe("authorize", () => {
  it("blocks with the flow's response, before any name is resolved", async () => {
    const dialer = loopbackOnlyDialer();
    const verdict = await authorize(contextWith({ dialer }), requestTo("https://evil.io/x"));
    expect(verdict).toEqual({
      outcome: "blocked",
      rule: "org:Allow",
      response: { status: 451, body: "Not here", contentType: "text/plain" },
    });
    expect(dialer.attempts).toEqual([]);
  });

  it("allows with the address DNS gave, checked, and never connects", async () => {
    const dialer = loopbackOnlyDialer({ "api.example.com": "93.184.216.34" });
    const verdict = await authorize(contextWith({ dialer }), requestTo("https://api.example.com/"));
    expect(verdict).toEqual({
      outcome: "allowed",
      rule: "org:Allow#0",
      address: "93.184.216.34",
      port: 443,
    });
    expect(dialer.attempts).toEqual(["resolve api.example.com"]);
  });

  it("refuses a name a glob allows when it resolves to an internal address", async () => {
    const dialer = loopbackOnlyDialer({ "rebind.example.com": "10.0.0.7" });
    const verdict = await authorize(
      contextWith({ dialer }),
      requestTo("https://rebind.example.com/"),
    );
    expect(verdict).toMatchObject({ outcome: "blocked", rule: "builtin:internal-address" });
  });

  it("dials an operator's --resolve mapping as given, but never the agent's own port", async () => {
    const resolveOverrides = new Map([["api.example.com", { address: "127.0.0.1", port: 7000 }]]);
    const request = requestTo("https://api.example.com/");
    expect(await authorize(contextWith({ resolveOverrides }), request)).toEqual({
      outcome: "allowed",
      rule: "org:Allow#0",
      address: "127.0.0.1",
      port: 7000,
    });
    const ownPorts = new Set([7000]);
    expect(await authorize(contextWith({ resolveOverrides, ownPorts }), request)).toMatchObject({
      outcome: "blocked",
      rule: "builtin:agent-port",
      response: { status: 403 },
    });
  });

  it("takes an IP literal as its own address", async () => {
    expect(await authorize(contextWith(), requestTo("http://127.0.0.1:9000/x"))).toEqual({
      outcome: "allowed",
      rule: "org:Allow#1",
      address: "127.0.0.1",
      port: 9000,
    });
  });

  it("answers 421 to a request whose Host is not its tunnel's, before the flows", async () => {
    const tunnel = target("https://api.example.com/");
    const verdict = await authorize(contextWith(), requestTo("https://evil.io/x", tunnel));
    expect(verdict).toMatchObject({
      outcome: "blocked",
      rule: "builtin:host-mismatch",
      response: { status: 421 },
    });
  });

  it("reports a name that does not resolve as an error of an allowed request", async () => {
    const dialer: Dialer = {
      resolve: () => Promise.reject(Object.assign(new Error("nope"), { code: "ENOTFOUND" })),
      connect: () => Promise.reject(new Error("never")),
    };
    expect(await authorize(contextWith({ dialer }), requestTo("https://api.example.com/"))).toEqual(
      {
        outcome: "error",
        rule: "org:Allow#0",
        networkError: "dns: ENOTFOUND",
      },
    );
  });

  it("lets a server's package registry through whatever the flows say", async () => {
    const builtinAllow = new Map([["registry.npmjs.org", "builtin:package-registry(npm)"]]);
    const dialer = loopbackOnlyDialer({ "registry.npmjs.org": "104.16.0.1" });
    const verdict = await authorize(
      contextWith({ builtinAllow, dialer }),
      requestTo("https://registry.npmjs.org/x"),
    );
    expect(verdict).toMatchObject({ outcome: "allowed", rule: "builtin:package-registry(npm)" });
  });

  it("asks a plugged-in rule at both stages: before the flows, and for every address", async () => {
    const guard: EgressRule = {
      name: "guard",
      request: ({ headers }) =>
        headers?.["x-secret"]
          ? {
              rule: "test:secret-guard",
              reason: "a secret in a header",
              response: { status: 400, body: "No secrets", contentType: "text/plain" },
            }
          : null,
      address: (_request, { address }) =>
        address === "93.184.216.34"
          ? {
              rule: "test:address-guard",
              reason: "not that one",
              response: { status: 403, body: "No", contentType: "text/plain" },
            }
          : null,
    };
    const dialer: Dialer & { attempts: string[] } = {
      attempts: [],
      resolve(host) {
        this.attempts.push(`resolve ${host}`);
        return Promise.resolve(["93.184.216.34", "93.184.216.35"]);
      },
      connect: () => Promise.reject(new Error("never")),
    };
    const context = contextWith({ dialer, rules: [...EGRESS_RULES, guard] });
    const secret = { ...requestTo("https://evil.io/x"), headers: { "x-secret": "1" } };
    // Refused before the flows (which would block evil.io with their 451) and before DNS.
    expect(await authorize(context, secret)).toMatchObject({
      outcome: "blocked",
      rule: "test:secret-guard",
      response: { status: 400 },
    });
    expect(dialer.attempts).toEqual([]);
    // The first address is refused, the second one is the verdict.
    expect(await authorize(context, requestTo("https://api.example.com/"))).toEqual({
      outcome: "allowed",
      rule: "org:Allow#0",
      address: "93.184.216.35",
      port: 443,
    });
  });
});
