import { type BlockResponse, DEFAULT_BLOCK_RESPONSE, type FlowDecision } from "@lunar/shared";
import { candidateAddresses } from "./candidate-addresses";
import { decideWithBuiltins } from "./decide-with-builtins";
import type { EgressContext } from "./egress-context";
import { agentPort } from "./rules/agent-port";
import type { Candidate, EgressRequest, EgressRule, Refusal } from "./rules/egress-rule";
import { hostMatchesTunnel } from "./rules/host-matches-tunnel";

/** The one answer every transport gets: where to dial, what to answer instead, or what failed. */
export type Verdict = AllowedVerdict | BlockedVerdict | FailedVerdict;

export interface AllowedVerdict {
  readonly outcome: "allowed";
  readonly rule: string | null;
  /** The checked address and port: the transport dials exactly these. */
  readonly address: string;
  readonly port: number;
}

export interface BlockedVerdict {
  readonly outcome: "blocked";
  readonly rule: string | null;
  /** The generated answer (the flow's GenerateResponse, or a built-in rule's). */
  readonly response: BlockResponse;
}

/** Allowed, but it cannot go anywhere (the name did not resolve). */
export interface FailedVerdict {
  readonly outcome: "error";
  readonly rule: string | null;
  readonly networkError: string;
}

/** Every rule type besides the flows, in the order they are asked. A new one is added here. */
export const EGRESS_RULES: readonly EgressRule[] = [hostMatchesTunnel, agentPort];

/**
 * The egress decision, for every transport (plain HTTP, requests inside inspected tunnels, blind
 * tunnels): the rules' request stage, then the flows (with this server's built-in allowances);
 * only if allowed, the candidate addresses (`--resolve`, IP literal or DNS), each through the
 * rules' address stage and the flows' address check. The first address that passes is the
 * verdict; a blocked request is never resolved, and nothing is dialled here.
 */
export async function authorize(context: EgressContext, request: EgressRequest): Promise<Verdict> {
  const rules = context.rules ?? EGRESS_RULES;
  for (const rule of rules) {
    const refusal = rule.request?.(request, context);
    if (refusal) return refused(refusal);
  }
  const decision = decideWithBuiltins(context, request);
  if (decision.decision === "blocked") return blockedBy(decision);
  const resolved = await candidateAddresses(context, request.target);
  if (!resolved.ok) {
    return { outcome: "error", rule: decision.rule, networkError: resolved.networkError };
  }
  let refusal: Verdict | null = null;
  for (const candidate of resolved.candidates) {
    const verdict = checkAddress(context, request, decision, candidate, rules);
    if (verdict.outcome === "allowed") return verdict;
    refusal = verdict;
  }
  return refusal ?? { outcome: "error", rule: decision.rule, networkError: "dns: no address" };
}

function checkAddress(
  context: EgressContext,
  request: EgressRequest,
  decision: FlowDecision,
  candidate: Candidate,
  rules: readonly EgressRule[],
): Verdict {
  for (const rule of rules) {
    const refusal = rule.address?.(request, candidate, context);
    if (refusal) return refused(refusal);
  }
  // IP-literal targets were judged as addresses by the flows already.
  const checked =
    candidate.source === "literal"
      ? decision
      : context.flows.decideResolved(request, decision, {
          address: candidate.address,
          source: candidate.source,
        });
  if (checked.decision === "blocked") return blockedBy(checked);
  return {
    outcome: "allowed",
    rule: checked.rule,
    address: candidate.address,
    port: candidate.port,
  };
}

function refused(refusal: Refusal): BlockedVerdict {
  return { outcome: "blocked", rule: refusal.rule, response: refusal.response };
}

function blockedBy(decision: FlowDecision): BlockedVerdict {
  return {
    outcome: "blocked",
    rule: decision.rule,
    response: decision.response ?? DEFAULT_BLOCK_RESPONSE,
  };
}
