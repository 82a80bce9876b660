import { classifyAddress } from "../url/classify-address";
import { parseIpLiteral } from "../url/ip-literal";
import type { CompiledFlows } from "./compiled-types";
import { responseFor, scopesFor } from "./evaluate-request";
import { findRule } from "./find-rule";
import { type FlowDecision, type FlowRequest, INTERNAL_ADDRESS_RULE } from "./flow-decision";
import { RequestView } from "./request-view";

/** The address the proxy is about to dial, and where it came from. */
export interface ResolvedAddress {
  readonly address: string;
  /** "operator": an explicit `--resolve` mapping, exempt from the internal-address refusal. */
  readonly source: "dns" | "operator";
}

/**
 * The second half of a decision, once the caller has resolved the host (the proxy dials exactly
 * the address it passes here, so DNS rebinding between check and connect is impossible). An
 * allowed decision becomes blocked when:
 * - a deny rule names the address itself (an IP-literal deny rule holds whatever name is used);
 * - the address is internal (loopback, private, link-local, metadata, …), it came from DNS, and
 *   no allow rule named the host exactly (a "*." glob never reaches internal addresses).
 * Call it for every address dialled; IP-literal targets were already judged by evaluateRequest.
 */
export function evaluateResolved(
  flows: CompiledFlows,
  request: FlowRequest,
  decision: FlowDecision,
  resolved: ResolvedAddress,
): FlowDecision {
  if (decision.decision === "blocked") return decision;
  const scopes = scopesFor(flows, request.server);
  const response = responseFor(scopes);
  const ip = parseIpLiteral(resolved.address);
  if (!ip) {
    return {
      ...decision,
      decision: "blocked",
      rule: INTERNAL_ADDRESS_RULE,
      reason: `"${resolved.address}" is not an IP address`,
      response,
    };
  }

  const asAddress = new RequestView({
    ...request,
    target: { ...request.target, host: ip.address, hostKind: ip.kind },
  });
  for (const scope of scopes) {
    const deny = findRule(scope.deny, asAddress, null).sure;
    if (deny) {
      return {
        ...decision,
        decision: "blocked",
        rule: deny.id,
        reason: `${request.target.host} resolved to ${ip.address}, denied by ${deny.id} ("${deny.source}")`,
        response,
      };
    }
  }

  if (resolved.source === "operator") return decision;
  const addressClass = classifyAddress(ip.address);
  if (addressClass === "public" || decision.hostNamedExactly) return decision;
  return {
    ...decision,
    decision: "blocked",
    rule: INTERNAL_ADDRESS_RULE,
    reason: `${request.target.host} resolved to ${ip.address}, a ${addressClass ?? "invalid"} address, and no allow rule names the host exactly`,
    response,
  };
}
