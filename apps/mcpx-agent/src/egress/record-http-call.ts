import { newEventId, type ParsedTarget } from "@lunar/shared";
import type { EgressContext } from "./egress-context";
import { redactPath } from "./redact";

export interface HttpCallOutcome {
  method: string;
  target: ParsedTarget;
  startedAt: number;
  status: number | null;
  bytesIn: number;
  bytesOut: number;
  decision: "allowed" | "blocked";
  rule: string | null;
  networkError: string | null;
  inspected: boolean;
}

/** One outbound call, as reported: secrets redacted from the path, no headers, no bodies. */
export function recordHttpCall(context: EgressContext, outcome: HttpCallOutcome): void {
  context.record({
    id: newEventId(),
    type: "http_call",
    ts: Date.now(),
    server: context.server,
    correlationId: context.correlationId(),
    durationMs: performance.now() - outcome.startedAt,
    method: /^[A-Z]{1,16}$/.test(outcome.method) ? outcome.method : "OTHER",
    scheme: outcome.target.scheme,
    host: outcome.target.host,
    port: outcome.target.port,
    path: outcome.inspected ? redactPath(outcome.target.path, outcome.target.query) : "/",
    status: outcome.status,
    bytesIn: outcome.bytesIn,
    bytesOut: outcome.bytesOut,
    decision: outcome.decision,
    rule: outcome.rule,
    networkError: outcome.networkError,
    inspected: outcome.inspected,
  });
}
