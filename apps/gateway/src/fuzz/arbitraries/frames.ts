import { MAX_EVENTS_PER_BATCH, MAX_SERVERS_PER_AGENT } from "@lunar/shared";
import fc from "fast-check";
import { type EventSpec, type EventTemplate, eventSpec, toolCallTemplate } from "./events";
import { anyJsonText, hostileText, keyText, numberText } from "./json-text";

export interface ServersSpec {
  list: { name: string; transport: "stdio" | "http" | "sse" }[];
  /** Repeat the list's servers up to this many (null: as is). */
  repeatTo: number | null;
}

export interface HelloTemplate {
  protocols: number[];
  name: string;
  version: string;
  servers: ServersSpec;
  flowsVersion: number | null;
}

/** One field of a frame replaced by any JSON value (text), removed (null), or added. */
export interface FrameMutation {
  field: string;
  value: string | null;
}

export type FrameSpec =
  | { kind: "hello"; hello: HelloTemplate; mutation: FrameMutation | null }
  | { kind: "events"; seq: string; events: EventSpec[]; mutation: FrameMutation | null }
  /** A batch of `count` copies of one event (fresh ids): 500 is the limit, 501 one past it. */
  | { kind: "bulk"; seq: number; count: number; event: EventTemplate }
  | { kind: "servers"; servers: ServersSpec; mutation: FrameMutation | null }
  | { kind: "control"; type: "ping" | "flows_applied" | "spool_dropped"; value: string }
  /** A frame of a known (or unknown) type with any fields. */
  | { kind: "typed"; type: string; fields: [string, string][] }
  /** Any JSON value as the whole frame. */
  | { kind: "json"; value: string }
  /** `{"type":` nested arrays or objects `}`: the 5,000-deep one crashed the gateway. */
  | { kind: "deep-type"; depth: number; shape: "array" | "object" }
  /** Text that is not JSON. */
  | { kind: "text"; text: string }
  /** Random bytes, as a text frame (mostly invalid UTF-8) or a binary one. */
  | { kind: "bytes"; bytes: number[]; binary: boolean }
  /** A valid ping with an invalid UTF-8 sequence inside its text. */
  | { kind: "invalid-utf8"; sequence: number[] }
  /** A text frame past MAX_FRAME_BYTES (closed with 1009). */
  | { kind: "oversized"; extra: number };

export interface SessionSpec {
  /** Which of the two fuzzed orgs' keys the connection uses. */
  org: 0 | 1;
  steps: FrameSpec[];
}

const server = fc.record({
  name: fc.oneof(
    { weight: 4, arbitrary: hostileText(1, 16) },
    { weight: 1, arbitrary: hostileText(1, 128) },
  ),
  transport: fc.constantFrom("stdio" as const, "http" as const, "sse" as const),
});
/** A few servers, or one repeated to the limit of 200 or one past it (a spec, to print short). */
const servers = fc.record({
  list: fc.array(server, { maxLength: 4 }),
  repeatTo: fc.oneof(
    { weight: 8, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom(MAX_SERVERS_PER_AGENT, MAX_SERVERS_PER_AGENT + 1) },
  ),
});

export function serverList({ list, repeatTo }: ServersSpec): ServersSpec["list"] {
  if (repeatTo === null || list.length === 0) return list;
  return Array.from(
    { length: repeatTo },
    (_, i) => list[i % list.length] as ServersSpec["list"][number],
  );
}

export const helloTemplate: fc.Arbitrary<HelloTemplate> = fc.record({
  protocols: fc.oneof(
    { weight: 8, arbitrary: fc.constant([1]).map((versions) => [...versions]) },
    {
      weight: 1,
      arbitrary: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
    },
  ),
  name: fc.oneof(fc.constant("fuzz-agent"), hostileText(1, 128)),
  version: fc.oneof(fc.constant("0.0.1"), hostileText(1, 64)),
  servers,
  flowsVersion: fc.option(fc.nat(), { nil: null }),
});

/** `value` once in `1 + none` draws, null otherwise. */
const sometimes = <T>(value: fc.Arbitrary<T>, none: number) =>
  fc.oneof({ weight: none, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: value });

/** A frame field replaced by any JSON value (text), or removed one time in eight. */
const mutationOf = (fields: string[]): fc.Arbitrary<FrameMutation> =>
  fc.record({
    field: fc.oneof(fc.constantFrom(...fields), fc.constant("orgId")),
    value: fc.option(anyJsonText, { nil: null, freq: 8 }),
  });

const seqText = fc.oneof(
  { weight: 8, arbitrary: fc.nat(1_000).map(String) },
  { weight: 1, arbitrary: fc.constantFrom("2147483648", "9007199254740991") },
  { weight: 1, arbitrary: numberText },
);

const frame: fc.Arbitrary<FrameSpec> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("hello" as const),
      hello: helloTemplate,
      mutation: sometimes(
        mutationOf(["type", "protocols", "agentId", "name", "version", "servers"]),
        2,
      ),
    }),
  },
  {
    weight: 40,
    arbitrary: fc.record({
      kind: fc.constant("events" as const),
      seq: seqText,
      events: fc.array(eventSpec, { minLength: 1, maxLength: 8 }),
      mutation: sometimes(mutationOf(["seq", "events", "type"]), 8),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("bulk" as const),
      seq: fc.nat(1_000),
      count: fc.constantFrom(MAX_EVENTS_PER_BATCH, MAX_EVENTS_PER_BATCH + 1),
      event: toolCallTemplate,
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("servers" as const),
      servers,
      mutation: sometimes(mutationOf(["type", "servers"]), 2),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("control" as const),
      type: fc.constantFrom("ping" as const, "flows_applied" as const, "spool_dropped" as const),
      value: fc.oneof(fc.nat(100).map(String), numberText, anyJsonText),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("typed" as const),
      type: fc.oneof(
        fc.constantFrom("hello", "events", "servers", "flows_applied", "ping", "spool_dropped"),
        hostileText(0, 20),
      ),
      fields: fc.array(fc.tuple(keyText, anyJsonText), { maxLength: 4 }),
    }),
  },
  { weight: 8, arbitrary: anyJsonText.map((value) => ({ kind: "json" as const, value })) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("deep-type" as const),
      depth: fc.oneof(fc.constant(5_000), fc.integer({ min: 100, max: 100_000 })),
      shape: fc.constantFrom("array" as const, "object" as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc
      .oneof(fc.constantFrom("", "{", "null", " ", "[]", '{"type":"ping"'), hostileText(0, 40))
      .map((text) => ({ kind: "text" as const, text })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("bytes" as const),
      bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }),
      // Mostly binary: random bytes as text are mostly invalid UTF-8, which ends the connection.
      binary: fc.constantFrom(true, true, true, false),
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      // A lone byte of 0xff, an overlong NUL, an encoded surrogate, past U+10FFFF, cut short.
      .constantFrom("ff", "c080", "eda080", "f4908080", "e282")
      .map((hex) => ({ kind: "invalid-utf8" as const, sequence: [...Buffer.from(hex, "hex")] })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 64 * 1024 })
      .map((extra) => ({ kind: "oversized" as const, extra })),
  },
);

/** A connection: usually hello first, then any frames (more hellos among them). */
export const sessionSpec: fc.Arbitrary<SessionSpec> = fc.record({
  org: fc.constantFrom(0 as const, 1 as const),
  steps: fc
    .tuple(
      fc.oneof(
        { weight: 1, arbitrary: fc.constant(null) },
        {
          weight: 5,
          arbitrary: helloTemplate.map((hello) => ({
            kind: "hello" as const,
            hello,
            mutation: null,
          })),
        },
      ),
      fc.array(frame, { minLength: 1, maxLength: 8 }),
    )
    .map(([hello, rest]) => (hello ? [hello, ...rest] : rest)),
});

/** Several connections at once, with keys of two orgs. */
export const scenario = fc.array(sessionSpec, { minLength: 1, maxLength: 4 });
