import { describe, expect, it } from "vitest";
import { compileFlows } from "./compile-flows";
import { compileYaml, decide } from "./flows-test-kit";

const pick = (result: { decision: string; rule: string | null }) => ({
  decision: result.decision,
  rule: result.rule,
});

describe("visibility mode", () => {
  it("no flows: everything allowed, no rule", () => {
    const flows = compileFlows({ flows: [] });
    const result = decide(flows, "https://api.badactor.com/steal");
    expect(result).toMatchObject({
      decision: "allowed",
      rule: null,
      reason: expect.stringContaining("visibility"),
    });
    expect(result.response).toBeUndefined();
  });

  it("deny rules alone block what they name and leave the rest allowed", () => {
    const flows = compileYaml(`
Blocklist:
  processor: Filter
  parameters:
    - { key: action, value: deny }
    - { key: urls, value: [api.badactor.com] }
`);
    expect(pick(decide(flows, "https://api.badactor.com/steal"))).toEqual({
      decision: "blocked",
      rule: "org:Blocklist#0",
    });
    expect(pick(decide(flows, "https://slack.com/api/x"))).toEqual({
      decision: "allowed",
      rule: null,
    });
  });

  it("internal addresses are refused even with no flows", () => {
    const flows = compileFlows({ flows: [] });
    expect(pick(decide(flows, "http://169.254.169.254/"))).toEqual({
      decision: "blocked",
      rule: "builtin:internal-address",
    });
  });
});

describe("allow and deny", () => {
  const flows = compileYaml(`
Allow:
  processor: Filter
  parameters:
    - key: urls
      value: [slack.com/api/*, slack.com/api/admin.users.list, "*.slack.com"]
Deny:
  processor: Filter
  parameters:
    - key: action
      value: deny
    - key: urls
      value: [slack.com/api/admin.users.list, files.slack.com]
`);

  it("a deny beats an allow that matches the same request, whatever the order", () => {
    expect(pick(decide(flows, "https://slack.com/api/admin.users.list"))).toEqual({
      decision: "blocked",
      rule: "org:Deny#0",
    });
    expect(pick(decide(flows, "https://files.slack.com/x"))).toEqual({
      decision: "blocked",
      rule: "org:Deny#1",
    });
  });

  it("the first matching allow rule in document order is reported", () => {
    expect(pick(decide(flows, "https://slack.com/api/chat.postMessage"))).toEqual({
      decision: "allowed",
      rule: "org:Allow#0",
    });
  });

  it("a rule without a path matches every path", () => {
    expect(pick(decide(flows, "https://hooks.slack.com/any/where"))).toEqual({
      decision: "allowed",
      rule: "org:Allow#2",
    });
  });

  it("a blocked request carries the default 403 when no GenerateResponse is given", () => {
    expect(decide(flows, "https://evil.io/").response).toEqual({
      status: 403,
      body: "Forbidden Access",
      contentType: "text/plain",
    });
  });
});

describe("server scope narrows, never widens", () => {
  const flows = compileYaml(`
OrgAllow:
  processor: Filter
  parameters:
    - key: urls
      value: [slack.com/api/*, "*.googleapis.com/*"]
MapsOnly:
  processor: Filter
  parameters:
    - { key: server, value: maps }
    - key: urls
      value: ["*.googleapis.com/*", evil.io/*]
NoSlackUploads:
  processor: Filter
  parameters:
    - { key: server, value: slack }
    - { key: action, value: deny }
    - { key: urls, value: [slack.com/api/files.upload] }
OrgResponse:
  processor: GenerateResponse
  parameters:
    - { key: body, value: "Blocked by policy" }
MapsResponse:
  processor: GenerateResponse
  parameters:
    - { key: server, value: maps }
    - { key: status, value: 451 }
    - { key: content-type, value: application/json }
    - { key: body, value: '{"error":"blocked"}' }
`);

  // server, url → decision, rule
  it.each([
    ["maps", "https://maps.googleapis.com/x", "allowed", "server:maps:MapsOnly#0"],
    ["maps", "https://slack.com/api/x", "blocked", "server:maps:MapsOnly"],
    ["maps", "https://evil.io/x", "blocked", "org:OrgAllow"],
    ["slack", "https://slack.com/api/chat.postMessage", "allowed", "org:OrgAllow#0"],
    ["slack", "https://slack.com/api/files.upload", "blocked", "server:slack:NoSlackUploads#0"],
    ["github", "https://slack.com/api/files.upload", "allowed", "org:OrgAllow#0"],
    ["github", "https://maps.googleapis.com/x", "allowed", "org:OrgAllow#1"],
  ])("%s → %s: %s (%s)", (server, url, decision, rule) => {
    expect(pick(decide(flows, url, { server }))).toEqual({ decision, rule });
  });

  it("with no server given, only org flows apply", () => {
    expect(pick(decide(flows, "https://slack.com/api/files.upload", { server: null }))).toEqual({
      decision: "allowed",
      rule: "org:OrgAllow#0",
    });
  });

  it("a server's GenerateResponse answers that server's blocks; the org's answers the others", () => {
    expect(decide(flows, "https://slack.com/api/x", { server: "maps" }).response).toEqual({
      status: 451,
      body: '{"error":"blocked"}',
      contentType: "application/json",
    });
    expect(decide(flows, "https://evil.io/", { server: "slack" }).response).toEqual({
      status: 403,
      body: "Blocked by policy",
      contentType: "text/plain",
    });
  });

  it("a server allowlist with no org allowlist narrows that server only", () => {
    const narrow = compileYaml(`
MapsOnly:
  processor: Filter
  parameters:
    - { key: server, value: maps }
    - { key: urls, value: ["*.googleapis.com/*"] }
`);
    expect(pick(decide(narrow, "https://evil.io/", { server: "maps" }))).toEqual({
      decision: "blocked",
      rule: "server:maps:MapsOnly",
    });
    expect(pick(decide(narrow, "https://evil.io/", { server: "other" }))).toEqual({
      decision: "allowed",
      rule: null,
    });
  });
});

describe("methods", () => {
  const flows = compileYaml(`
ReadOnly:
  processor: Filter
  parameters:
    - { key: urls, value: [api.example.com/*] }
    - { key: methods, value: [GET, head] }
NoDeletes:
  processor: Filter
  parameters:
    - { key: action, value: deny }
    - { key: urls, value: [api.example.com/*] }
    - { key: methods, value: [DELETE] }
`);

  it.each([
    ["GET", "allowed", "org:ReadOnly#0"],
    ["get", "allowed", "org:ReadOnly#0"],
    ["HEAD", "allowed", "org:ReadOnly#0"],
    ["POST", "blocked", "org:ReadOnly"],
    ["DELETE", "blocked", "org:NoDeletes#0"],
    ["delete", "blocked", "org:NoDeletes#0"],
  ])("%s → %s (%s)", (method, decision, rule) => {
    expect(pick(decide(flows, "https://api.example.com/x", { method }))).toEqual({
      decision,
      rule,
    });
  });

  it("without a method, method conditions are not considered and the result says so", () => {
    const result = decide(flows, "https://api.example.com/x", { method: undefined });
    expect(result).toMatchObject({
      decision: "allowed",
      rule: "org:ReadOnly#0",
      notConsidered: ["method", "headers"],
      partiallyChecked: ["org:NoDeletes#0", "org:ReadOnly#0"],
    });
  });
});

describe("headers", () => {
  const flows = compileYaml(`
ProdOnly:
  processor: Filter
  parameters:
    - { key: urls, value: [api.example.com/*] }
    - key: headers
      value:
        - { name: X-Env, value: prod }
        - { name: Authorization, value: "Bearer *" }
NoDebug:
  processor: Filter
  parameters:
    - { key: action, value: deny }
    - { key: urls, value: [api.example.com/*] }
    - key: headers
      value:
        - { name: x-debug, value: "*" }
`);
  const url = "https://api.example.com/v1";

  it.each([
    [
      "all listed headers match",
      { "x-env": "prod", authorization: "Bearer abc" },
      "allowed",
      "org:ProdOnly#0",
    ],
    [
      "names are case-insensitive",
      { "X-ENV": "prod", Authorization: "Bearer abc" },
      "allowed",
      "org:ProdOnly#0",
    ],
    [
      "values are case-sensitive",
      { "x-env": "PROD", authorization: "Bearer abc" },
      "blocked",
      "org:ProdOnly",
    ],
    ["a listed header is missing", { "x-env": "prod" }, "blocked", "org:ProdOnly"],
    [
      "glob does not match",
      { "x-env": "prod", authorization: "Basic abc" },
      "blocked",
      "org:ProdOnly",
    ],
    [
      "a repeated header must match in every copy to allow",
      { "x-env": ["prod", "dev"], authorization: "Bearer a" },
      "blocked",
      "org:ProdOnly",
    ],
    [
      "a deny header glob '*' means present",
      { "x-env": "prod", authorization: "Bearer a", "x-debug": "" },
      "blocked",
      "org:NoDebug#0",
    ],
    [
      "a deny matches any copy of a repeated header",
      { "x-env": "prod", authorization: "Bearer a", "x-debug": ["1", "2"] },
      "blocked",
      "org:NoDebug#0",
    ],
  ])("%s → %s", (_name, headers, decision, rule) => {
    expect(pick(decide(flows, url, { headers }))).toEqual({ decision, rule });
  });

  it("without headers (gateway re-check, preview) header rules are not considered, and the result says so", () => {
    const result = decide(flows, url);
    expect(result).toMatchObject({
      decision: "allowed",
      rule: "org:ProdOnly#0",
      notConsidered: ["headers"],
      partiallyChecked: ["org:NoDebug#0", "org:ProdOnly#0"],
      reason: expect.stringContaining("headers not considered"),
    });
  });
});

describe("host level (CONNECT without TLS inspection)", () => {
  const flows = compileYaml(`
Allow:
  processor: Filter
  parameters:
    - { key: urls, value: [slack.com/api/*] }
DenyWholeHost:
  processor: Filter
  parameters:
    - { key: action, value: deny }
    - { key: urls, value: [files.slack.com] }
DenyOnePath:
  processor: Filter
  parameters:
    - { key: action, value: deny }
    - { key: urls, value: [slack.com/api/secret/*] }
`);

  it("a tunnel opens when an allow rule covers the host; its path is not enforced and the result says so", () => {
    const result = decide(flows, { kind: "connect", authority: "slack.com:443" });
    expect(result).toMatchObject({
      decision: "allowed",
      rule: "org:Allow#0",
      level: "host",
      notConsidered: ["method", "path", "headers"],
      partiallyChecked: ["org:DenyOnePath#0", "org:Allow#0"],
    });
  });

  it("a deny rule naming a whole host closes the tunnel", () => {
    expect(pick(decide(flows, { kind: "connect", authority: "files.slack.com:443" }))).toEqual({
      decision: "blocked",
      rule: "org:DenyWholeHost#0",
    });
  });

  it("inside an inspected tunnel the same request is judged on its path", () => {
    const inner = {
      kind: "origin",
      hostHeader: "slack.com",
      path: "/api/secret/x",
      scheme: "https",
    } as const;
    expect(pick(decide(flows, inner))).toEqual({ decision: "blocked", rule: "org:DenyOnePath#0" });
  });
});
