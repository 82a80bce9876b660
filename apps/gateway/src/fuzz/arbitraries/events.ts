import type { TAgentEvent } from "@lunar/shared";
import fc from "fast-check";
import { anyJsonText, hostileText } from "./json-text";

/** An event but its id: the id is made when the event is sent, so a shrink never reuses one. */
export type EventTemplate = TAgentEvent extends infer T
  ? T extends TAgentEvent
    ? Omit<T, "id">
    : never
  : never;

export type EventSpec =
  /** Valid by the schema (its text may hold NUL and lone surrogates, its counts ≥ 2^31). */
  | { kind: "valid"; event: EventTemplate }
  /** A valid event with one field replaced by any JSON value (text), or removed (null). */
  | { kind: "mutated"; event: EventTemplate; field: string; value: string | null }
  /** The nth event this run sent before (modulo their number), sent again: same id. */
  | { kind: "resend"; nth: number }
  /** Any JSON value where an event goes. */
  | { kind: "any"; value: string };

const ts = fc.oneof(
  fc.integer({ min: 1_600_000_000_000, max: 2_000_000_000_000 }),
  fc.constantFrom(0, 1, 2 ** 53 - 1),
);
const durationMs = fc.oneof(
  fc.double({ min: 0, max: 86_400_000, noNaN: true }),
  fc.constantFrom(0, 86_400_000, 5e-324),
);
const count = fc.oneof(
  { weight: 3, arbitrary: fc.nat() },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1) },
);
const nullable = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: null });
const shortOrLong = (max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: hostileText(1, 24) },
    { weight: 1, arbitrary: hostileText(1, max) },
  );

export const toolCallTemplate: fc.Arbitrary<EventTemplate> = fc.record({
  type: fc.constant("tool_call" as const),
  ts,
  server: shortOrLong(128),
  correlationId: nullable(shortOrLong(128)),
  durationMs,
  tool: shortOrLong(128),
  outcome: fc.constantFrom(
    "ok" as const,
    "error" as const,
    "timeout" as const,
    "cancelled" as const,
  ),
  errorType: nullable(shortOrLong(128)),
  argumentBytes: count,
});

export const httpCallTemplate: fc.Arbitrary<EventTemplate> = fc.record({
  type: fc.constant("http_call" as const),
  ts,
  server: shortOrLong(128),
  correlationId: nullable(shortOrLong(128)),
  durationMs,
  method: fc.oneof(fc.constantFrom("GET", "POST", "CONNECT"), fc.stringMatching(/^[A-Z]{1,16}$/)),
  scheme: fc.constantFrom("http" as const, "https" as const),
  host: shortOrLong(253),
  port: fc.integer({ min: 1, max: 65_535 }),
  path: fc.oneof(hostileText(0, 40), hostileText(0, 2_048)),
  status: nullable(fc.integer({ min: 100, max: 599 })),
  bytesIn: count,
  bytesOut: count,
  decision: fc.constantFrom("allowed" as const, "blocked" as const),
  rule: nullable(shortOrLong(256)),
  networkError: nullable(shortOrLong(256)),
  inspected: fc.boolean(),
});

export const eventTemplate = fc.oneof(toolCallTemplate, httpCallTemplate);

const eventFields = [
  "id",
  "type",
  "ts",
  "server",
  "correlationId",
  "durationMs",
  "tool",
  "outcome",
  "errorType",
  "argumentBytes",
  "method",
  "host",
  "port",
  "path",
  "status",
  "bytesIn",
  "decision",
  "rule",
  "inspected",
  "orgId",
];

export const eventSpec: fc.Arbitrary<EventSpec> = fc.oneof(
  { weight: 5, arbitrary: eventTemplate.map((event) => ({ kind: "valid" as const, event })) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("mutated" as const),
      event: eventTemplate,
      field: fc.constantFrom(...eventFields),
      value: fc.option(anyJsonText, { nil: null, freq: 8 }),
    }),
  },
  { weight: 1, arbitrary: fc.nat(50).map((nth) => ({ kind: "resend" as const, nth })) },
  { weight: 1, arbitrary: anyJsonText.map((value) => ({ kind: "any" as const, value })) },
);

/** An event's JSON text with one field's text replaced, removed or added. */
export function withField(
  event: Record<string, unknown>,
  field: string,
  value: string | null,
): string {
  const entries = Object.entries(event).map(([key, v]) => [key, JSON.stringify(v)] as const);
  const kept = entries.filter(([key]) => key !== field);
  if (value !== null) kept.push([field, value]);
  return `{${kept.map(([key, v]) => `${JSON.stringify(key)}:${v}`).join(",")}}`;
}
