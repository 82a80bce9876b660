import { z } from "zod";

// What an agent reports. Argument values, bodies and header values are never part of an event;
// the agent redacts secrets in paths and query strings before sending.

const ZEventBase = z.object({
  /** Made by the agent (UUIDv7 recommended: time-ordered ids index cheaply); the dedup key. */
  id: z.uuid(),
  /** When it happened, by the agent's clock, epoch milliseconds. */
  ts: z.number().int().nonnegative(),
  /** The MCP server (name from the agent's config). */
  server: z.string().min(1).max(128),
  /** Ties an outbound call to the tool call that caused it (and a tool call to itself). */
  correlationId: z.string().max(128).nullable(),
  durationMs: z.number().nonnegative().max(86_400_000),
});

export const ZToolCallEvent = ZEventBase.extend({
  type: z.literal("tool_call"),
  tool: z.string().min(1).max(128),
  outcome: z.enum(["ok", "error", "timeout", "cancelled"]),
  errorType: z.string().max(128).nullable(),
  argumentBytes: z.number().int().nonnegative(),
}).strict();
export type TToolCallEvent = z.infer<typeof ZToolCallEvent>;

export const ZHttpCallEvent = ZEventBase.extend({
  type: z.literal("http_call"),
  method: z.string().regex(/^[A-Z]{1,16}$/, "an upper-case HTTP method"),
  scheme: z.enum(["http", "https"]),
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  /** Path and query after redaction; "/" when only the host is known (CONNECT without inspection). */
  path: z.string().max(2048),
  status: z.number().int().min(100).max(599).nullable(),
  bytesIn: z.number().int().nonnegative(),
  bytesOut: z.number().int().nonnegative(),
  decision: z.enum(["allowed", "blocked"]),
  /** The flow rule that decided, e.g. "org:AllowFilter#2"; null in visibility mode. */
  rule: z.string().max(256).nullable(),
  networkError: z.string().max(256).nullable(),
  /** False when HTTPS was decided at host level only (no TLS inspection). */
  inspected: z.boolean(),
}).strict();
export type THttpCallEvent = z.infer<typeof ZHttpCallEvent>;

export const ZAgentEvent = z.discriminatedUnion("type", [ZToolCallEvent, ZHttpCallEvent]);
export type TAgentEvent = z.infer<typeof ZAgentEvent>;
