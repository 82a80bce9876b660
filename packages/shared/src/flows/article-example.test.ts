import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileFlows } from "./compile-flows";
import { decide } from "./flows-test-kit";
import { parseFlowsYaml } from "./parse-flows-yaml";

// The article's Endpoint Access Control example as valid YAML, copied unchanged from the
// architecture brief's flows-example.yaml (the article prints it flattened, with an unquoted
// "*.googleapis.com/*": parse-flows-yaml.test.ts shows what that gives).
const EXAMPLE = readFileSync(new URL("./fixtures/flows-example.yaml", import.meta.url), "utf8");

function loadExample() {
  const load = parseFlowsYaml(EXAMPLE);
  if (!load.ok) throw new Error(JSON.stringify(load.errors));
  return load;
}

describe("the article's example flows", () => {
  it("load unchanged: one allow Filter and the 403 response", () => {
    const { document } = loadExample();
    expect(document.flows.map((flow) => [flow.name, flow.processor])).toEqual([
      ["AllowFilter", "Filter"],
      ["GenerateResponseForbidden", "GenerateResponse"],
    ]);
    expect(document.flows[0]).toMatchObject({ action: "allow", scope: { kind: "org" } });
    expect(document.flows[1]).toMatchObject({
      response: { status: 403, body: "Forbidden Access", contentType: "text/plain" },
    });
  });

  it("warn that *.googleapis.com also covers hosts other people can create (public suffix list)", () => {
    expect(loadExample().warnings).toEqual([
      expect.objectContaining({ path: "AllowFilter.parameters[0].value[1]", line: 8, column: 11 }),
    ]);
  });

  const flows = compileFlows(loadExample().document);
  const forbidden = { status: 403, body: "Forbidden Access", contentType: "text/plain" };

  // url → decision and rule, as an allowlist ("org:AllowFilter" = not on it).
  it.each([
    ["https://api.slack.com/methods/chat.postMessage", "allowed", "org:AllowFilter#0"],
    ["https://api.slack.com/", "allowed", "org:AllowFilter#0"],
    ["https://maps.googleapis.com/maps/api/geocode/json?address=x", "allowed", "org:AllowFilter#1"],
    ["https://places.maps.googleapis.com/v1/places", "allowed", "org:AllowFilter#1"],
    // The real Slack Web API is slack.com/api/*: the article's list does NOT allow it.
    ["https://slack.com/api/chat.postMessage", "blocked", "org:AllowFilter"],
    ["https://googleapis.com/", "blocked", "org:AllowFilter"],
    ["https://api.badactor.com/stea_datal", "blocked", "org:AllowFilter"],
    ["https://hooks.slack.com/services/x", "blocked", "org:AllowFilter"],
  ])("%s → %s (%s)", (url, decision, rule) => {
    const result = decide(flows, url, { method: "POST", server: "slack" });
    expect({ decision: result.decision, rule: result.rule }).toEqual({ decision, rule });
    expect(result.response).toEqual(decision === "blocked" ? forbidden : undefined);
  });

  it("blocks the malicious server's exfiltration call with the generated 403", () => {
    const result = decide(flows, "https://api.badactor.com/stea_datal", { method: "POST" });
    expect(result).toMatchObject({
      decision: "blocked",
      rule: "org:AllowFilter",
      reason: expect.stringContaining("not on the allowlist"),
      response: forbidden,
    });
  });
});
