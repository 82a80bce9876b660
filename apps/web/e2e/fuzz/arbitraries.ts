import fc from "fast-check";
import type { FuzzRoute } from "./api-routes";
import type { RawRequest } from "./raw-request";

// Generators of hostile requests: every JSON type in every field, NULs and lone surrogates,
// huge numbers and strings, deep nesting, broken percent-encodings, random bytes, odd content
// types and origins, repeated and unknown parameters. Plausible values are mixed in so that
// requests also get past validation and into the handlers.

/** Text reaching every UTF-16 code unit (NUL, lone surrogates) plus URL-significant characters. */
const hostileText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(
      "\u0000",
      "\ud800",
      "\udfff",
      "a",
      "é",
      "😀",
      "%",
      "/",
      "?",
      "#",
      "&",
      "=",
      "+",
      " ",
      "\n",
      ".",
      "*",
    ),
    maxLength: 24,
  }),
  fc.string({ maxLength: 300 }),
  fc.integer({ min: 1_000, max: 70_000 }).map((n) => "x".repeat(n)),
);

const hugeNumber = fc.constantFrom(
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2,
  2 ** 31,
  -(2 ** 31) - 1,
  5e-324,
  -0,
  0.5,
);

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ stringUnit: "binary", maxDepth: 3 }),
  hugeNumber,
  hostileText,
);

/** Values of the right kind for a field, so that some requests reach the handler. */
const plausible: Record<string, fc.Arbitrary<unknown>> = {
  email: fc.oneof(fc.emailAddress(), fc.constant("fuzz@example.com")),
  password: fc.string({ minLength: 10, maxLength: 40 }),
  organizationName: fc.string({ minLength: 1, maxLength: 100 }),
  name: fc.string({ minLength: 1, maxLength: 80 }),
  yaml: fc.oneof(
    fc.constant(""),
    fc.constant(
      "Approved:\n  processor: Filter\n  parameters:\n    - key: urls\n      value: [slack.com/*]\n",
    ),
    fc.constant(
      "Blocked:\n  processor: Filter\n  parameters:\n    - key: urls\n      value: [evil.example/*]\n    - key: action\n      value: deny\n",
    ),
    fc.integer({ min: 1, max: 3_000 }).map((n) => `${"- ".repeat(n)}a`),
    fc.integer({ min: 1, max: 3_000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`),
    fc.string({
      unit: fc.constantFrom(
        ":",
        "-",
        " ",
        "\n",
        "a",
        "&",
        "*",
        "!",
        "[",
        "{",
        "'",
        '"',
        "#",
        "|",
        ">",
      ),
      maxLength: 200,
    }),
  ),
  baseVersion: fc.oneof(fc.nat(5), hugeNumber),
  url: fc.oneof(
    fc.webUrl(),
    fc.constant("http://[::1]:99999/%zz"),
    fc.constant("javascript:alert(1)"),
  ),
  method: fc.constantFrom("GET", "post", "DELETE", "BREW", ""),
  server: fc.string({ minLength: 1, maxLength: 128 }),
  host: fc.oneof(fc.domain(), fc.constantFrom("slack.com", "[::1]", "127.0.0.1", "localhost")),
  createAllowlist: fc.boolean(),
  decision: fc.constantFrom("allowed", "blocked", "maybe"),
  kind: fc.constantFrom("tool_call", "http_call", "other"),
  endpoint: fc.string({ minLength: 1, maxLength: 256 }),
  limit: fc.oneof(
    fc.integer({ min: -5, max: 600 }),
    fc.constantFrom("1e400", "0x10", "1.5", "NaN"),
  ),
  window: fc.constantFrom("24h", "7d", "30d", "1y", ""),
  id: fc.uuid(),
  token: fc.string({ maxLength: 60 }),
};

const fieldValue = (field: string) =>
  fc.oneof(
    { weight: 2, arbitrary: plausible[field] ?? anyJson },
    { weight: 3, arbitrary: anyJson },
  );

/** UTF-8 percent-encoding of any string (a lone surrogate becomes U+FFFD, as a browser sends it). */
function percentEncode(value: string): string {
  return [...Buffer.from(value, "utf8")]
    .map((byte) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`,
    )
    .join("");
}

/** Escapes no decoder accepts: cut short, not hex, not UTF-8, an encoded surrogate, overlong. */
const brokenEncoding = fc.constantFrom(
  "%",
  "%A",
  "%E0%A4%A",
  "%ZZ",
  "%FF",
  "%C0%80",
  "%ED%A0%80",
  "%F4%90%80%80",
  "%00",
);

const encodedText = fc.oneof(
  { weight: 4, arbitrary: hostileText.map((text) => percentEncode(text.slice(0, 2_000))) },
  {
    weight: 2,
    arbitrary: fc
      .array(
        fc.oneof(
          brokenEncoding,
          fc.string({ unit: "grapheme-ascii", maxLength: 4 }).map(percentEncode),
        ),
        { maxLength: 6 },
      )
      .map((parts) => parts.join("")),
  },
);

// Dot segments resolve before routing: in /api/keys/{id} they reach /api itself. (In /api/{path}
// they would leave the API for the home page, where a POST is taken for a server action.)
const pathParam = (name: string) =>
  fc.oneof(
    {
      weight: 2,
      arbitrary: (plausible[name] ?? fc.string({ maxLength: 20 })).map((value) =>
        percentEncode(String(value)),
      ),
    },
    { weight: 3, arbitrary: encodedText },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        ...(name === "path" ? [] : ["..", ".", "%2e%2e", "%2E"]),
        "a%2Fb",
        "%2F",
        "x/y",
        "x%00y",
      ),
    },
  );

const queryValue = (name: string) =>
  fc.oneof(
    {
      weight: 2,
      arbitrary: (plausible[name] ?? fc.string({ maxLength: 20 })).map((value) =>
        percentEncode(String(value)),
      ),
    },
    { weight: 3, arbitrary: encodedText },
  );

function queryString(route: FuzzRoute): fc.Arbitrary<string> {
  const known = route.query ?? [];
  const pair = fc.oneof(
    ...(known.length > 0
      ? [
          fc
            .constantFrom(...known)
            .chain((name) => queryValue(name).map((value) => `${name}=${value}`)),
        ]
      : []),
    fc.tuple(encodedText, encodedText).map(([name, value]) => `${name}=${value}`),
    encodedText,
  );
  return fc
    .array(pair, { maxLength: 6 })
    .map((pairs) => (pairs.length > 0 ? `?${pairs.join("&")}` : ""));
}

function fieldsObject(route: FuzzRoute): fc.Arbitrary<Record<string, unknown>> {
  const known = Object.fromEntries((route.body ?? []).map((field) => [field, fieldValue(field)]));
  return fc
    .tuple(
      fc.record(known, { requiredKeys: [] }),
      fc.oneof(
        { weight: 4, arbitrary: fc.constant({}) },
        {
          weight: 1,
          arbitrary: fc.dictionary(fc.string({ unit: "binary", maxLength: 8 }), anyJson, {
            maxKeys: 3,
          }),
        },
      ),
    )
    .map(([fields, extra]) => ({ ...extra, ...fields }));
}

function body(route: FuzzRoute): fc.Arbitrary<Buffer | undefined> {
  const text = (value: string) => Buffer.from(value, "utf8");
  const fieldNames = route.body?.length ? route.body : ["x"];
  return fc.oneof(
    { weight: 8, arbitrary: fieldsObject(route).map((fields) => text(JSON.stringify(fields))) },
    { weight: 1, arbitrary: anyJson.map((value) => text(JSON.stringify(value) ?? "")) },
    // Numbers JSON.stringify cannot write: beyond double range, or more digits than a double has.
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...fieldNames),
          fc.constantFrom("1e400", "-1e400", "123456789012345678901234567890", "-0.0e-999"),
        )
        .map(([field, number]) => text(`{"${field}":${number}}`)),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 10, max: 20_000 })
        .map((depth) => text(`${"[".repeat(depth)}${"]".repeat(depth)}`)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...fieldNames), fc.integer({ min: 10, max: 8_000 }))
        .map(([field, depth]) =>
          text(`{"${field}":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`),
        ),
    },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)),
    },
    // A JSON string whose bytes are not UTF-8.
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...fieldNames), fc.uint8Array({ minLength: 1, maxLength: 64 }))
        .map(([field, bytes]) =>
          Buffer.concat([
            text(`{"${field}":"`),
            Buffer.from(bytes.map((b) => (b === 0x22 || b === 0x5c ? 0x80 : b))),
            text('"}'),
          ]),
        ),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant("application/json") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "application/json;;;",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/problem+json",
      "",
      "*/*",
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

export interface FuzzContext {
  origin: string;
  sessionCookie?: string;
}

/** A request to `route`, everything in it generated. */
export function fuzzRequest(route: FuzzRoute, context: FuzzContext): fc.Arbitrary<RawRequest> {
  const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
  const origin = fc.oneof(
    { weight: 8, arbitrary: fc.constant<string | undefined>(context.origin) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<string | undefined>(
        undefined,
        "null",
        "http://evil.example",
        "not a url",
      ),
    },
  );
  const cookie =
    context.sessionCookie && !route.noSession
      ? fc.constant<string | undefined>(`lunar_session=${context.sessionCookie}`)
      : fc.oneof(
          fc.constant<string | undefined>(undefined),
          fc
            .string({ unit: "grapheme-ascii", maxLength: 60 })
            .map((token) => `lunar_session=${percentEncode(token)}`),
        );
  return fc
    .record({
      params: fc.tuple(...params.map((name) => pathParam(name))),
      query: queryString(route),
      body: route.method === "GET" ? fc.constant(undefined) : body(route),
      contentType,
      origin,
      cookie,
    })
    .map(
      ({ params: values, query, body: payload, contentType: type, origin: from, cookie: jar }) => {
        let path = route.path;
        params.forEach((name, index) => {
          path = path.replace(`{${name}}`, values[index] ?? "");
        });
        const headers: Record<string, string> = {};
        if (type !== undefined) headers["content-type"] = type;
        if (from !== undefined) headers.origin = from;
        if (jar !== undefined) headers.cookie = jar;
        return { method: route.method, path: `${path}${query}`, headers, body: payload };
      },
    );
}
