import { describe, expect, it } from "vitest";
import { FLOWS_LIMITS } from "./limits";
import { loadFlowsDocument } from "./load-flows-document";
import { parseFlowsYaml } from "./parse-flows-yaml";

function errorsOf(yaml: string) {
  const load = parseFlowsYaml(yaml);
  if (load.ok) throw new Error("expected the document to be refused");
  return load.errors;
}

const filter = (urls: string) => `AllowFilter:
  processor: Filter
  parameters:
    - key: urls
      value:
        - ${urls}
`;

// document → the first error's message fragment, line and column (1-based).
const CASES: readonly [string, string, string, number, number][] = [
  [
    "unquoted *.glob is a YAML alias",
    filter("api.slack.com/*\n        - *.googleapis.com/*"),
    'quote globs that start with "*"',
    7,
    11,
  ],
  ["YAML syntax error", "AllowFilter:\n  processor: [Filter\n", "", 3, 1],
  ["duplicate key", "A:\n  processor: Filter\n  processor: Filter\n", "unique", 3, 3],
  [
    "unknown processor",
    "A:\n  processor: Block\n  parameters: []\n",
    'processor must be "Filter" or "GenerateResponse"',
    2,
    14,
  ],
  ["missing processor", "A:\n  parameters: []\n", "processor must be", 2, 3],
  [
    "unknown flow field",
    "A:\n  processor: Filter\n  parameters: []\n  when: always\n",
    'unknown field "when"',
    4,
    3,
  ],
  [
    "unknown Filter parameter",
    "A:\n  processor: Filter\n  parameters:\n    - key: url\n      value: [slack.com]\n",
    'unknown parameter "url"',
    4,
    12,
  ],
  [
    "parameter given twice",
    "A:\n  processor: Filter\n  parameters:\n    - { key: urls, value: [a.com] }\n    - { key: urls, value: [b.com] }\n",
    'parameter "urls" is given twice',
    5,
    14,
  ],
  [
    "Filter without urls",
    "A:\n  processor: Filter\n  parameters: []\n",
    'needs a "urls" parameter',
    2,
    3,
  ],
  [
    "urls is not a list",
    "A:\n  processor: Filter\n  parameters:\n    - key: urls\n      value: slack.com/*\n",
    "urls must be a non-empty list",
    5,
    14,
  ],
  ["wildcard over a public suffix", filter('"*.com/*"'), "public suffix", 6, 11],
  ["wildcard inside a label", filter("api.*.example.com/*"), 'leading "*." label', 6, 11],
  ["partial-segment path wildcard", filter("slack.com/api/chat.*"), "whole path segment", 6, 11],
  ["query in a glob", filter("slack.com/api?token=x"), "queries and fragments", 6, 11],
  ["userinfo in a glob", filter("user@slack.com/*"), "userinfo", 6, 11],
  ["bad port in a glob", filter("slack.com:99999/*"), "not a port", 6, 11],
  ["dot segment in a glob", filter("slack.com/api/../admin"), "segments are not allowed", 6, 11],
  ["other scheme in a glob", filter("ftp://slack.com/*"), 'unsupported scheme "ftp"', 6, 11],
  [
    "bad action",
    "A:\n  processor: Filter\n  parameters:\n    - { key: urls, value: [a.com] }\n    - { key: action, value: block }\n",
    'action is "allow"',
    5,
    29,
  ],
  [
    "header as a 'Name: value' string",
    "A:\n  processor: Filter\n  parameters:\n    - { key: urls, value: [a.com] }\n    - key: headers\n      value:\n        - X-Env: prod\n",
    'unknown field "X-Env"',
    7,
    11,
  ],
  [
    "method that is not a word",
    "A:\n  processor: Filter\n  parameters:\n    - { key: urls, value: [a.com] }\n    - { key: methods, value: [GET, 'PO ST'] }\n",
    "a method is a word",
    5,
    36,
  ],
  [
    "status out of range",
    "R:\n  processor: GenerateResponse\n  parameters:\n    - key: status\n      value: 200\n",
    "integer from 400 to 599",
    5,
    14,
  ],
  [
    "status as a string",
    "R:\n  processor: GenerateResponse\n  parameters:\n    - key: status\n      value: '403'\n",
    "integer from 400 to 599",
    5,
    14,
  ],
  [
    "Content-Type with a line break (header injection)",
    'R:\n  processor: GenerateResponse\n  parameters:\n    - key: Content-Type\n      value: "text/plain\\r\\nSet-Cookie: x=1"\n',
    "media type",
    5,
    14,
  ],
  [
    "two org-wide GenerateResponse flows",
    "R1:\n  processor: GenerateResponse\nR2:\n  processor: GenerateResponse\n",
    "a second GenerateResponse for the org",
    4,
    3,
  ],
  [
    "empty server name",
    "A:\n  processor: Filter\n  parameters:\n    - { key: urls, value: [a.com] }\n    - { key: server, value: '' }\n",
    "server must be",
    5,
    29,
  ],
  [
    "inherited property names are not parameters",
    "A:\n  processor: GenerateResponse\n  parameters:\n    - { key: constructor, value: x }\n",
    'unknown parameter "constructor"',
    4,
    14,
  ],
  ["flow name with a colon", '"org:A":\n  processor: Filter\n', "flow name", 1, 1],
  ["a list instead of flows", "- AllowFilter\n", "mapping of flow names", 1, 1],
];

describe("parseFlowsYaml errors point at line and column", () => {
  it.each(CASES)("%s", (_name, yaml, message, line, column) => {
    const [first] = errorsOf(yaml);
    expect(first).toMatchObject({ line, column });
    expect(first?.message).toContain(message);
  });

  it("the article's example as printed (flattened, unquoted glob) is refused with positions", () => {
    const printed = [
      "AllowFilter:",
      "processor: Filter",
      "parameters:",
      "- key: urls",
      "value:",
      "- api.slack.com/*",
      "- *.googleapis.com/*",
    ].join("\n");
    const errors = errorsOf(printed);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((error) => error.line !== null && error.column !== null)).toBe(true);
  });

  it("reports every error at once, not just the first", () => {
    const errors = errorsOf(`
A:
  processor: Filter
  parameters:
    - key: urls
      value: ["*.com/*", "ok.example/*", "a.*.b"]
    - key: methods
      value: [GET, "P T"]
`);
    expect(errors.map((error) => error.path)).toEqual([
      "A.parameters[0].value[0]",
      "A.parameters[0].value[2]",
      "A.parameters[1].value[1]",
    ]);
  });
});

describe("parseFlowsYaml accepts", () => {
  it("an empty document as no flows (visibility mode)", () => {
    expect(parseFlowsYaml("")).toEqual({ ok: true, document: { flows: [] }, warnings: [] });
    expect(parseFlowsYaml("# nothing yet\n")).toEqual({
      ok: true,
      document: { flows: [] },
      warnings: [],
    });
  });

  it("content-type in any case, and GenerateResponse defaults", () => {
    const load = parseFlowsYaml(`
R:
  processor: GenerateResponse
  parameters:
    - { key: content-type, value: application/json; charset=utf-8 }
`);
    expect(load.ok && load.document.flows[0]).toMatchObject({
      response: {
        status: 403,
        body: "Forbidden Access",
        contentType: "application/json; charset=utf-8",
      },
    });
  });

  it("a private-suffix wildcard with a warning, not an error", () => {
    const load = parseFlowsYaml(filter('"*.github.io/*"'));
    expect(load.ok).toBe(true);
    expect(load.warnings).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("github.io"),
        line: 6,
        column: 11,
      }),
    ]);
  });
});

describe("loadFlowsDocument (the JSON the gateway sends agents)", () => {
  it("reads the same shape and reports paths without lines", () => {
    const load = loadFlowsDocument({
      AllowFilter: {
        processor: "Filter",
        parameters: [{ key: "urls", value: ["api.slack.com/*", "*.com"] }],
      },
    });
    expect(load).toEqual({
      ok: false,
      errors: [
        {
          message: expect.stringContaining("public suffix"),
          path: "AllowFilter.parameters[0].value[1]",
          line: null,
          column: null,
        },
      ],
      warnings: [],
    });
  });

  it("treats null as no flows", () => {
    expect(loadFlowsDocument(null)).toEqual({ ok: true, document: { flows: [] }, warnings: [] });
  });

  it(`refuses more than ${FLOWS_LIMITS.maxUrlPatterns} url globs`, () => {
    const urls = Array.from({ length: FLOWS_LIMITS.maxUrlPatterns + 1 }, (_, i) => `h${i}.example`);
    const load = loadFlowsDocument({
      A: { processor: "Filter", parameters: [{ key: "urls", value: urls }] },
    });
    expect(load.ok).toBe(false);
  });
});
