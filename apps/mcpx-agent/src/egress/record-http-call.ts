import { newEventId, type ParsedTarget } from "@lunar/shared";
import type { EgressContext } from "./egress-context";
import { redactPath } from "./redact";

/** What is known of an outbound call when it starts. */
export interface HttpCallStart {
  method: string;
  target: ParsedTarget;
  startedAt: number;
  inspected: boolean;
}

/** How it ended. */
export interface HttpCallResult {
  status: number | null;
  bytesIn: number;
  bytesOut: number;
  decision: "allowed" | "blocked";
  rule: string | null;
  networkError: string | null;
}

/**
 * One outbound call, as reported: secrets redacted from the path, no headers, no bodies. (Start
 * and result come apart: `{ ...start, status, … }` made a dictionary-mode object of ~2 KB on
 * every proxied request, docs/BENCHMARKS.md.)
 */
export function recordHttpCall(
  context: EgressContext,
  call: HttpCallStart,
  result: HttpCallResult,
): void {
  context.record({
    id: newEventId(),
    type: "http_call",
    ts: Date.now(),
    server: context.server,
    correlationId: context.correlationId(),
    durationMs: performance.now() - call.startedAt,
    method: /^[A-Z]{1,16}$/.test(call.method) ? call.method : "OTHER",
    scheme: call.target.scheme,
    host: call.target.host,
    port: call.target.port,
    path: call.inspected ? redactPath(call.target.path, call.target.query) : "/",
    status: result.status,
    bytesIn: result.bytesIn,
    bytesOut: result.bytesOut,
    decision: result.decision,
    rule: result.rule,
    networkError: result.networkError,
    inspected: call.inspected,
  });
}
