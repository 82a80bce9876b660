import type { BlockResponse } from "@lunar/shared";
import { type AllowedVerdict, authorize, type Verdict } from "./authorize";
import type { EgressContext } from "./egress-context";
import { badGateway } from "./generated-response";
import { type CallOutcome, recordHttpCall } from "./record-http-call";
import type { EgressRequest } from "./rules/egress-rule";

/** What a transport (plain HTTP, a request inside an inspected tunnel, a blind tunnel) does. */
export interface EgressTransport {
  /** Sends the proxy's own answer instead of the upstream's; returns the body's bytes. */
  reply(response: BlockResponse, blocked: boolean): number;
  /** Carries the allowed call to the checked address; resolves when the call is over. */
  forward(verdict: AllowedVerdict): Promise<CallOutcome>;
}

const FAULT: CallOutcome = { status: null, bytesIn: 0, bytesOut: 0, networkError: "proxy_fault" };

/**
 * One outbound call, whatever carried it: the verdict (`authorize`), then the transport forwards
 * it or answers the refusal, then the one access record. A fault anywhere is recorded too, and
 * then rethrown to the transport's fault boundary.
 */
export async function proxyCall(
  context: EgressContext,
  request: EgressRequest,
  transport: EgressTransport,
): Promise<void> {
  const startedAt = performance.now();
  let verdict: Verdict | null = null;
  let outcome = FAULT;
  try {
    verdict = await authorize(context, request);
    outcome =
      verdict.outcome === "allowed" ? await transport.forward(verdict) : refuse(transport, verdict);
  } finally {
    recordHttpCall(context, request, startedAt, verdict, outcome);
  }
}

function refuse(
  transport: EgressTransport,
  verdict: Exclude<Verdict, AllowedVerdict>,
): CallOutcome {
  if (verdict.outcome === "blocked") {
    const bytes = transport.reply(verdict.response, true);
    return { status: verdict.response.status, bytesIn: bytes, bytesOut: 0, networkError: null };
  }
  transport.reply(badGateway(verdict.networkError), false);
  return { status: null, bytesIn: 0, bytesOut: 0, networkError: verdict.networkError };
}
