import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { editFlowsYaml } from "./edit-flows-yaml";
import { readFlowsYaml } from "./read-flows-yaml";

const SOURCE = `# Org flows: reviewed by security every quarter.
AllowFilter:
  processor: Filter
  parameters:
    # The real Slack API lives under slack.com/api.
    - key: urls
      value:
        - slack.com/api/*   # chat.postMessage and friends
Approved:
  processor: Filter
  parameters:
    - key: urls
      value: [a.example.com/*]
`;

function documentOf(yaml: string): Record<string, unknown> {
  const read = readFlowsYaml(yaml);
  if (!read.ok) throw new Error(JSON.stringify(read.errors));
  return read.document as Record<string, unknown>;
}

describe("editFlowsYaml", () => {
  it("rewrites only the changed flow and keeps every comment elsewhere", () => {
    const next = documentOf(SOURCE);
    next.Approved = {
      processor: "Filter",
      parameters: [{ key: "urls", value: ["a.example.com/*", "b.example.com/*"] }],
    };
    const edited = editFlowsYaml(SOURCE, next);
    expect(edited).toContain("# Org flows: reviewed by security every quarter.");
    expect(edited).toContain("# The real Slack API lives under slack.com/api.");
    expect(edited).toContain("# chat.postMessage and friends");
    expect(documentOf(edited)).toEqual(next);
    expect(Object.keys(parse(edited))).toEqual(["AllowFilter", "Approved"]);
  });

  it("adds a new flow at the end and removes one that is gone", () => {
    const next = documentOf(SOURCE);
    delete next.Approved;
    next.Blocked = {
      processor: "Filter",
      parameters: [
        { key: "action", value: "deny" },
        { key: "urls", value: ["evil.example/*"] },
      ],
    };
    const edited = editFlowsYaml(SOURCE, next);
    expect(edited).toContain("# chat.postMessage and friends");
    expect(edited).not.toContain("Approved");
    expect(Object.keys(parse(edited))).toEqual(["AllowFilter", "Blocked"]);
    expect(documentOf(edited)).toEqual(next);
  });

  it("writes the document afresh when there is no source, or the source is only comments", () => {
    const next = {
      Blocked: { processor: "Filter", parameters: [{ key: "urls", value: ["x/*"] }] },
    };
    expect(documentOf(editFlowsYaml(null, next))).toEqual(next);
    const fromComments = editFlowsYaml("# nothing yet\n", next);
    expect(documentOf(fromComments)).toEqual(next);
  });

  it("falls back to a fresh document rather than store text that would not read back as the edit", () => {
    const next = {
      Blocked: { processor: "Filter", parameters: [{ key: "urls", value: ["x/*"] }] },
    };
    // A top-level sequence is not a flows mapping: nothing of it can be kept.
    const edited = editFlowsYaml("- not\n- a mapping\n", next);
    expect(documentOf(edited)).toEqual(next);
  });
});
