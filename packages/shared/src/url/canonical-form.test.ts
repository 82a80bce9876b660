import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalPathAndQuery, readCanonicalHost, readCanonicalUrl } from "./canonical-form";
import { normalizeHost, normalizeHostInFull } from "./host";
import { parseTarget, parseTargetInFull } from "./parse-target";

// The canonical-form shortcut must give exactly what the full parser gives, on every input it
// accepts. Inputs are built from pieces near its edges: case, trailing and doubled dots, punycode,
// numbers the WHATWG parser reads as IPv4, long labels, ports with zeros or out of range, dot
// segments in every spelling, escapes, characters the parser encodes, "?" and "#". (CONNECT
// authorities and Host headers take the shortcut only through normalizeHost: the first property.)

const RUNS = Number(process.env.FUZZ_RUNS ?? 4_000);

const labelChars = fc.constantFrom(..."abczAXZ0179_-.".split(""));
const plainLabel = fc.string({
  unit: fc.constantFrom(..."abcxyz0129-".split("")),
  minLength: 1,
  maxLength: 8,
});
const label = fc.oneof(
  { arbitrary: plainLabel, weight: 6 },
  fc.constantFrom(
    "xn--bcher-kva",
    "XN--BCHER-KVA",
    "xn--",
    "xn--a",
    "0x7f",
    "0X1F",
    "0x",
    "127",
    "0",
    "08",
    "1e3",
    "a-",
    "-a",
    "_a",
    "a--b",
    "a".repeat(63),
    "a".repeat(64),
    "",
    "Ab",
    "GOOGLEAPIS",
    "com",
    "b\u00fccher",
    "\u0455lack",
    "\uff33",
    "a%2e",
    "a b",
    "a@b",
    "a:1",
  ),
  fc.string({ unit: labelChars, minLength: 1, maxLength: 8 }),
);
const host = fc
  .tuple(
    fc.array(label, { minLength: 1, maxLength: 5 }),
    fc.constantFrom("", "", "", "", "", "", ".", ".."),
  )
  .map(([labels, end]) => labels.join(".") + end);
const port = fc.constantFrom(
  "",
  "",
  "",
  ":443",
  ":80",
  ":8443",
  ":0",
  ":08",
  ":0443",
  ":65535",
  ":65536",
  ":99999",
  ":",
  ":1",
  ":1a",
);
const scheme = fc.oneof(
  { arbitrary: fc.constantFrom("http", "https"), weight: 6 },
  fc.constantFrom("HTTP", "Https", "ftp", "httpx", "https:", "https:/"),
);
const plainSegment = fc.string({ unit: fc.constantFrom(..."aZ09-_.~".split("")), maxLength: 8 });
const segment = fc.oneof(
  { arbitrary: plainSegment, weight: 8 },
  fc.constantFrom(
    ".",
    "..",
    "...",
    ".a",
    "a.",
    "%2e",
    "%2E%2e",
    ".%2e",
    "a",
    "A",
    "%41",
    "%7e",
    "%2F",
    "%5C",
    "%zz",
    "%",
    "x;y",
    ";",
    "",
    "~",
    "'",
    '"',
    "a b",
    "\u00e9",
    "\\",
    "*",
    "@",
    ":",
    "!$&()+,=",
    "^",
    "`",
    "{",
    "}",
    "|",
    "[",
    "]",
    "<",
    ">",
    "\t",
  ),
  fc.string({ unit: fc.constantFrom(..."aZ09-._~%;:@!'".split("")), maxLength: 6 }),
);
const path = fc.oneof(
  fc.constant(""),
  fc.array(segment, { minLength: 1, maxLength: 5 }).map((segments) => `/${segments.join("/")}`),
);
const query = fc.oneof(
  { arbitrary: fc.constant(""), weight: 4 },
  {
    arbitrary: fc.string({ unit: fc.constantFrom(..."ab=&1%/".split("")) }).map((q) => `?${q}`),
    weight: 4,
  },
  fc.constantFrom("", "", "?", "?a=1", "?a=%20b", "?'", "?a b", "??x", "?/x?y", "?\u00e9", '?"'),
  fc
    .string({ unit: fc.constantFrom(..."a=&%2F/?'\\^`{}|[]<>".split("")), maxLength: 8 })
    .map((q) => `?${q}`),
);
const fragment = fc.oneof(
  { arbitrary: fc.constant(""), weight: 8 },
  fc.constantFrom("#", "#x", "#@evil.io"),
);
const userinfo = fc.oneof(
  { arbitrary: fc.constant(""), weight: 8 },
  fc.constantFrom("u@", "u:p@", "evil.io@"),
);

describe("canonical-form shortcut agrees with the full parser", () => {
  it("hosts: normalizeHost = normalizeHostInFull wherever the shortcut applies", () => {
    let taken = 0;
    fc.assert(
      fc.property(host, (raw) => {
        if (readCanonicalHost(raw) === null) return;
        taken += 1;
        expect(normalizeHost(raw)).toEqual(normalizeHostInFull(raw));
      }),
      { numRuns: RUNS },
    );
    expect(taken).toBeGreaterThan(RUNS / 10);
  });

  it("absolute URLs: parseTarget = parseTargetInFull wherever the shortcut applies", () => {
    let taken = 0;
    const url = fc
      .tuple(scheme, userinfo, host, port, path, query, fragment)
      .map(([s, u, h, p, pa, q, f]) => `${s}://${u}${h}${p}${pa}${q}${f}`);
    fc.assert(
      fc.property(url, (text) => {
        if (readCanonicalUrl(text) === null) return;
        taken += 1;
        const input = { kind: "absolute", url: text } as const;
        expect(parseTarget(input)).toEqual(parseTargetInFull(input));
      }),
      { numRuns: RUNS },
    );
    expect(taken).toBeGreaterThan(RUNS / 20);
  });

  it("origin form: parseTarget = parseTargetInFull wherever the shortcut applies", () => {
    let taken = 0;
    const origin = fc.tuple(
      host,
      port,
      path,
      query,
      fc.constantFrom("http", "https") as fc.Arbitrary<"http" | "https">,
    );
    fc.assert(
      fc.property(origin, ([h, p, pa, q, s]) => {
        const target = `${pa === "" ? "/" : pa}${q}`;
        if (canonicalPathAndQuery(target) === null) return;
        taken += 1;
        const input = { kind: "origin", hostHeader: `${h}${p}`, path: target, scheme: s } as const;
        expect(parseTarget(input)).toEqual(parseTargetInFull(input));
      }),
      { numRuns: RUNS },
    );
    expect(taken).toBeGreaterThan(RUNS / 20);
  });

  it("takes the shortcut for the common forms", () => {
    expect(readCanonicalUrl("https://api.github.com/repos/a/b/issues?page=2")).not.toBeNull();
    expect(readCanonicalUrl("https://Api.GitHub.COM./x")).toMatchObject({ host: "api.github.com" });
    expect(readCanonicalUrl("http://93.184.216.34:8080/")).toMatchObject({ hostKind: "ipv4" });
    for (const url of [
      "https://xn--bcher-kva.example/",
      "https://bücher.example/",
      "http://127.1/",
      "http://2130706433/",
      "https://u@slack.com/",
      "https://slack.com/a/../b",
      "https://slack.com/%61",
      "https://slack.com:0443/",
      "https://slack.com..//",
      "https://1.2.3.4./",
      "https://slack.com/#x",
    ]) {
      expect(readCanonicalUrl(url), url).toBeNull();
    }
  });
});
