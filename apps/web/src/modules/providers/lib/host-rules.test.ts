import { compileFlows, evaluateRequest, loadFlowsDocument, parseTarget } from "@lunar/shared";
import { describe, expect, it } from "vitest";
import { addHostRule, hostGlob, removeHostRule } from "./host-rules";

function decide(document: unknown, url: string) {
  const load = loadFlowsDocument(document);
  if (!load.ok) throw new Error(JSON.stringify(load.errors));
  const target = parseTarget({ kind: "absolute", url });
  if (!target.ok) throw new Error(target.error.message);
  return evaluateRequest(compileFlows(load.document), { target: target.target, server: null });
}

describe("hostGlob", () => {
  it("names exactly the stored host, on any path", () => {
    expect(hostGlob("api.slack.com")).toBe("api.slack.com/*");
    expect(hostGlob("93.184.216.34")).toBe("93.184.216.34/*");
    expect(hostGlob("2001:db8::1")).toBe("[2001:db8::1]/*");
  });

  it("refuses anything that is not exactly a host the agent would dial", () => {
    for (const host of [
      "<img src=x onerror=alert(1)>.evil.example",
      "evil.io/admin",
      "evil.io:8443",
      "*.evil.io",
      "user@evil.io",
      "SLACK.COM", // stored hosts are normalised; anything else is not one of ours
      "slack.com.",
      "%73lack.com",
      "",
    ]) {
      expect(hostGlob(host), host).toBeNull();
    }
  });
});

describe("addHostRule / removeHostRule", () => {
  it("creates the Blocked deny flow at the end, then appends to it; deny beats an allowlist", () => {
    const start = {
      Allow: { processor: "Filter", parameters: [{ key: "urls", value: ["evil.io/*"] }] },
    };
    const first = addHostRule(start, "Blocked", "evil.io/*");
    expect(first).toMatchObject({ ok: true, changed: true });
    if (!first.ok) return;
    expect(Object.keys(first.document)).toEqual(["Allow", "Blocked"]);
    expect(first.document.Blocked).toEqual({
      processor: "Filter",
      parameters: [
        { key: "action", value: "deny" },
        { key: "urls", value: ["evil.io/*"] },
      ],
    });
    expect(decide(first.document, "https://evil.io/x")).toMatchObject({
      decision: "blocked",
      rule: "org:Blocked#0",
    });
    const second = addHostRule(first.document, "Blocked", "bad.example/*");
    expect(
      second.ok && (second.document.Blocked as { parameters: unknown[] }).parameters[1],
    ).toEqual({ key: "urls", value: ["evil.io/*", "bad.example/*"] });
    expect(addHostRule(first.document, "Blocked", "evil.io/*")).toMatchObject({ changed: false });
    expect(start.Allow.parameters[0]?.value).toEqual(["evil.io/*"]); // input untouched
  });

  it("Approved is an allow list; an empty document becomes an allowlist", () => {
    const edit = addHostRule(null, "Approved", "slack.com/*");
    expect(edit).toMatchObject({ ok: true, changed: true });
    if (!edit.ok) return;
    expect(decide(edit.document, "https://slack.com/api/x")).toMatchObject({
      decision: "allowed",
      rule: "org:Approved#0",
    });
    expect(decide(edit.document, "https://evil.io/")).toMatchObject({ decision: "blocked" });
  });

  it("refuses to append to a hand-written flow with other conditions or the other action", () => {
    const scoped = {
      Approved: {
        processor: "Filter",
        parameters: [
          { key: "urls", value: ["a.example/*"] },
          { key: "server", value: "maps" },
        ],
      },
      Blocked: { processor: "Filter", parameters: [{ key: "urls", value: ["b.example/*"] }] },
    };
    expect(addHostRule(scoped, "Approved", "slack.com/*")).toMatchObject({ ok: false });
    expect(addHostRule(scoped, "Blocked", "evil.io/*")).toMatchObject({ ok: false });
  });

  it("removes a host from Blocked, and the flow when its list empties", () => {
    const first = addHostRule(null, "Blocked", "a.example/*");
    if (!first.ok) throw new Error("unexpected");
    const blocked = addHostRule(first.document, "Blocked", "b.example/*");
    if (!blocked.ok) throw new Error("unexpected");
    const one = removeHostRule(blocked.document, "Blocked", "a.example/*");
    expect(one.ok && one.changed).toBe(true);
    const none = removeHostRule(one.ok ? one.document : null, "Blocked", "b.example/*");
    expect(none).toEqual({ ok: true, document: {}, changed: true });
    expect(removeHostRule(null, "Blocked", "x.example/*")).toMatchObject({ changed: false });
  });
});
