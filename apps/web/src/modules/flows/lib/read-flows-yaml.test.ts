import { compileFlows, loadFlowsDocument } from "@lunar/shared";
import { describe, expect, it } from "vitest";
import { decideUrl } from "./decide-url";
import { flowsDocumentToYaml } from "./describe-flows";
import { EXAMPLE_FLOWS_YAML } from "./example-flows";
import { readFlowsYaml } from "./read-flows-yaml";

describe("readFlowsYaml", () => {
  it("gives the plain document that is stored and sent to agents", () => {
    const read = readFlowsYaml(
      "# comment\nAllow:\n  processor: Filter\n  parameters:\n    - key: urls\n      value: [slack.com/api/*]\n",
    );
    expect(read).toEqual({
      ok: true,
      warnings: [],
      document: {
        Allow: { processor: "Filter", parameters: [{ key: "urls", value: ["slack.com/api/*"] }] },
      },
    });
  });

  it("an empty document, or only comments, is null: no flows", () => {
    expect(readFlowsYaml("")).toEqual({ ok: true, document: null, warnings: [] });
    expect(readFlowsYaml("# nothing\n\n")).toEqual({ ok: true, document: null, warnings: [] });
  });

  it("reports errors as line:column with the flow path in the message", () => {
    const read = readFlowsYaml(
      "A:\n  processor: Filter\n  parameters:\n    - key: urls\n      value:\n        - slack.com/api/chat.*\n",
    );
    expect(read).toEqual({
      ok: false,
      errors: [
        {
          path: "6:11",
          message: expect.stringMatching(/^A\.parameters\[0]\.value\[0]: .*whole path segment/),
        },
      ],
    });
    expect(readFlowsYaml("a: [unclosed\n")).toMatchObject({ ok: false });
  });

  it("the prefilled example loads without errors or warnings and round-trips through YAML", () => {
    const read = readFlowsYaml(EXAMPLE_FLOWS_YAML);
    expect(read).toMatchObject({ ok: true, warnings: [] });
    if (!read.ok) return;
    const again = readFlowsYaml(flowsDocumentToYaml(read.document));
    expect(again).toMatchObject({ ok: true, document: read.document });
  });
});

describe("decideUrl", () => {
  const example = readFlowsYaml(EXAMPLE_FLOWS_YAML);
  const load = loadFlowsDocument(example.ok ? example.document : null);
  const compiled = compileFlows(load.ok ? load.document : { flows: [] });

  it("blocks api.badactor.com with the allowlist rule and the generated response", () => {
    expect(decideUrl(compiled, 4, { url: "https://api.badactor.com/stea_datal" })).toMatchObject({
      version: 4,
      decision: "blocked",
      rule: "org:AllowFilter",
      response: { status: 403, body: "Forbidden Access", contentType: "text/plain" },
      notConsidered: ["method", "headers"],
      target: { scheme: "https", host: "api.badactor.com", port: 443, path: "/stea_datal" },
    });
  });

  it("allows the real Slack Web API, and refuses what the agent would refuse", () => {
    expect(
      decideUrl(compiled, 4, { url: "https://slack.com/api/chat.postMessage", method: "post" }),
    ).toMatchObject({ decision: "allowed", rule: "org:AllowFilter#0", notConsidered: ["headers"] });
    expect(decideUrl(compiled, 4, { url: "slack.com/api/x" })).toMatchObject({
      decision: "refused",
      target: null,
    });
  });
});
