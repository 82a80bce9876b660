import fc from "fast-check";

// Hostile JSON, as text: what an agent can put on the wire, including what no JavaScript value
// serialises to (`-0`, `1e309`, nesting past JSON.stringify's stack). Values that make large
// text are kept as small specs (a depth, a length) so counterexamples print short and shrink.

/** Code units that break careless text handling: NUL, both halves of a surrogate pair alone… */
export const hostileUnit: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "\u0000",
    "\ud800",
    "\udbff",
    "\udc00",
    "\udfff",
    "\ufffd",
    "\ufeff",
    "\u2028",
    "\u007f",
    '"',
    "\\",
    "é",
    "😀",
  ),
  // Any single code unit, lone surrogates included.
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }),
);

/** A string of `minLength` to `maxLength` UTF-16 code units (a pair cut at the end stays cut). */
export function hostileText(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc
    .string({ unit: hostileUnit, minLength, maxLength })
    .map((text) => text.slice(0, maxLength))
    .filter((text) => text.length >= minLength);
}

/** Numbers at the edges: INTEGER and 2^53 boundaries, overflow to Infinity, -0, subnormals. */
export const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "0",
    "-0",
    "-1",
    "0.5",
    "1e308",
    "-1e308",
    "1e309",
    "-1e309",
    "5e-324",
    "1e-400",
    "2147483647",
    "2147483648",
    "4294967296",
    "9007199254740991",
    "9007199254740992",
    "9007199254740993",
    "-9007199254740993",
    "86400001",
    "1E2",
    "123456789012345678901234567890",
  ),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
);

/** A string value far past every field's limit (kept as a spec: a length and a unit). */
export const hugeStringText: fc.Arbitrary<string> = fc
  .record({ length: fc.integer({ min: 129, max: 300_000 }), unit: hostileUnit })
  .map(({ length, unit }) => JSON.stringify(unit.repeat(length).slice(0, length)));

/** Nesting thousands deep: arrays, objects, or both, at any depth up to what fits in 1 MiB. */
export const deepText: fc.Arbitrary<string> = fc
  .record({
    depth: fc.oneof(fc.constant(5_000), fc.integer({ min: 64, max: 150_000 })),
    shape: fc.constantFrom("array", "object", "mixed"),
  })
  .map(({ depth, shape }) => nested(depth, shape));

export function nested(depth: number, shape: "array" | "object" | "mixed"): string {
  if (shape === "array") return `${"[".repeat(depth)}${"]".repeat(depth)}`;
  if (shape === "object") return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
  const half = Math.ceil(depth / 2);
  return `${'[{"a":'.repeat(half)}null${"}]".repeat(half)}`;
}

const fieldNames = [
  "type",
  "seq",
  "events",
  "id",
  "ts",
  "server",
  "tool",
  "servers",
  "agentId",
  "orgId",
  "__proto__",
  "constructor",
];

/** Object keys: the protocol's own names (and `__proto__`), or anything. */
export const keyText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...fieldNames).map((key) => JSON.stringify(key)),
  hostileText(0, 20).map((key) => JSON.stringify(key)),
);

const scalarText: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom("null", "true", "false") },
  { weight: 4, arbitrary: numberText },
  { weight: 4, arbitrary: hostileText(0, 40).map((text) => JSON.stringify(text)) },
  { weight: 1, arbitrary: hugeStringText },
);

const { value: shallowText } = fc.letrec<{ value: string; array: string; object: string }>(
  (tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      scalarText,
      tie("array"),
      tie("object"),
    ),
    array: fc.array(tie("value"), { maxLength: 4 }).map((items) => `[${items.join(",")}]`),
    object: fc
      .array(fc.tuple(keyText, tie("value")), { maxLength: 4 })
      .map((entries) => `{${entries.map(([key, value]) => `${key}:${value}`).join(",")}}`),
  }),
);

/** Any JSON value, as text: every type, hostile strings and numbers, sometimes very deep. */
export const anyJsonText: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: shallowText },
  { weight: 1, arbitrary: deepText },
);
