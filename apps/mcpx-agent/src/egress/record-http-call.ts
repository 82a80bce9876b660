import { newEventId } from "@lunar/shared";
import type { Verdict } from "./authorize";
import type { EgressContext } from "./egress-context";
import { redactPath } from "./redact";
import type { EgressRequest } from "./rules/egress-rule";

/** The rule of a call whose decision never completed (a fault in the proxy): nothing was sent. */
export const PROXY_FAULT_RULE = "builtin:proxy-fault";

/** How a call ended, whoever carried it. */
export interface CallOutcome {
  /** The upstream's status, or the generated answer's; null when no answer came. */
  status: number | null;
  bytesIn: number;
  bytesOut: number;
  networkError: string | null;
}

/**
 * The one access record of an outbound call, written once, when it has ended: secrets redacted
 * from the path, no headers, no bodies. Decision and rule come from the verdict; null means the
 * decision itself failed. (Request, verdict and outcome stay apart: `{ ...start, status, … }`
 * made a dictionary-mode object of ~2 KB per request, docs/BENCHMARKS.md.)
 */
export function recordHttpCall(
  context: EgressContext,
  request: EgressRequest,
  startedAt: number,
  verdict: Verdict | null,
  outcome: CallOutcome,
): void {
  const { target } = request;
  const inspected = target.form !== "connect";
  context.record({
    id: newEventId(),
    type: "http_call",
    ts: Date.now(),
    server: context.server,
    correlationId: context.correlationId(),
    durationMs: performance.now() - startedAt,
    method: /^[A-Z]{1,16}$/.test(request.method) ? request.method : "OTHER",
    scheme: target.scheme,
    host: target.host,
    port: target.port,
    path: inspected ? redactPath(target.path, target.query) : "/",
    status: outcome.status,
    bytesIn: outcome.bytesIn,
    bytesOut: outcome.bytesOut,
    decision: verdict === null || verdict.outcome === "blocked" ? "blocked" : "allowed",
    rule: verdict === null ? PROXY_FAULT_RULE : verdict.rule,
    networkError: outcome.networkError,
    inspected,
  });
}
