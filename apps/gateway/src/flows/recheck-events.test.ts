import { compileFlows, loadFlowsDocument, type TAgentEvent } from "@lunar/shared";
import { httpCall } from "@lunar/shared/testing";
import { describe, expect, it } from "vitest";
import { toolCallEvent } from "../testing/test-agent";
import { recheckEvents } from "./recheck-events";

const document = {
  AllowFilter: { processor: "Filter", parameters: [{ key: "urls", value: ["slack.com/api/*"] }] },
};
const load = loadFlowsDocument(document);
if (!load.ok) throw new Error("fixture flows are invalid");
const flows = compileFlows(load.document);

function call(overrides: Partial<Extract<TAgentEvent, { type: "http_call" }>>): TAgentEvent {
  return httpCall({
    durationMs: 1,
    bytesIn: 0,
    bytesOut: 0,
    rule: "org:AllowFilter#0",
    ...overrides,
  });
}

describe("recheckEvents", () => {
  it("agrees when the agent decided what the current flows decide", () => {
    expect(
      recheckEvents(flows, [call({}), call({ host: "evil.io", decision: "blocked", status: 403 })]),
    ).toEqual(["agree", "agree"]);
  });

  it("flags an agent that allowed what the current flows block (stale or tampered flows)", () => {
    expect(recheckEvents(flows, [call({ host: "api.badactor.com", path: "/steal" })])).toEqual([
      "disagree",
    ]);
  });

  it("reads a reported path the way the flows do, whether or not it is already canonical", () => {
    const reported = [
      "/api/chat.postMessage", // canonical: taken as is
      "/api/../admin", // a dot segment: resolved to /admin, which no rule allows
      "/api/%2e%2e/admin", // the same in percent-encoding
      "/%61pi/x", // %61 is "a": /api/x
      "/API/x", // paths are case-sensitive
      "/api", // the allowed prefix without its slash
      "/api/x?token=[redacted]", // the query is not part of the match
    ];
    expect(
      recheckEvents(
        flows,
        reported.map((path) => call({ path })),
      ),
    ).toEqual(["agree", "disagree", "disagree", "agree", "disagree", "disagree", "agree"]);
  });

  it("is inconclusive on built-in rules, blind tunnels and redacted paths, and skips tool calls", () => {
    expect(
      recheckEvents(flows, [
        call({ host: "10.0.0.1", decision: "blocked", rule: "builtin:internal-address" }),
        call({ host: "slack.com", path: "/", inspected: false, decision: "blocked" }),
        toolCallEvent(),
      ]),
    ).toEqual(["inconclusive", "inconclusive", null]);
  });
});
