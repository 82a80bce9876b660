import { classifyAddress } from "../url/classify-address";
import type { CompiledFlows, CompiledRule, CompiledScope } from "./compiled-types";
import { findRule, isPreferred } from "./find-rule";
import {
  type FlowDecision,
  type FlowRequest,
  INTERNAL_ADDRESS_RULE,
  type UnseenCondition,
} from "./flow-decision";
import { type BlockResponse, DEFAULT_BLOCK_RESPONSE } from "./flow-types";
import { RequestView } from "./request-view";

/**
 * Decides one request against the org's compiled flows. Precedence, first that applies:
 * 1. a deny rule of the org or of the request's server matches → blocked by it;
 * 2. the host is an IP literal of an internal address (loopback, private, link-local, metadata…)
 *    and no allow rule names it → blocked ("builtin:internal-address");
 * 3. a scope with an allowlist (the org's, the server's) has no matching allow rule → blocked
 *    ("<scope>:<first allow flow>"); both allowlists must let a request through, so a server's
 *    flows narrow the org's and never widen them;
 * 4. allowed, by the server's matching allow rule, else the org's, or by no rule (null) in
 *    visibility mode.
 * Domains that resolve to internal addresses are refused afterwards by evaluateResolved.
 * (Objects are built field by field, not spread: this is the per-request hot path.)
 */
export function evaluateRequest(flows: CompiledFlows, request: FlowRequest): FlowDecision {
  const view = new RequestView(request);
  const scopes = scopesFor(flows, request.server);
  const partiallyChecked: string[] = [];
  const unseen = view.notConsidered();

  let deny: CompiledRule | null = null;
  for (const scope of scopes) {
    const search = findRule(scope.deny, view, partiallyChecked);
    if (search.sure && (deny === null || isPreferred(search.sure, deny))) deny = search.sure;
  }
  if (deny) {
    const reason = `denied by ${deny.id} ("${deny.source}")`;
    return blocked(deny.id, reason, scopes, view, unseen, partiallyChecked);
  }

  let allowedBy: CompiledRule | null = null;
  let notListedIn: CompiledScope | null = null;
  let hostNamedExactly = false;
  for (const scope of scopes) {
    if (scope.allow === null) continue;
    const search = findRule(scope.allow, view, null);
    const match = search.sure ?? search.unsure;
    if (match === null) {
      notListedIn ??= scope;
      continue;
    }
    if (search.sure === null) partiallyChecked.push(match.id);
    allowedBy = match; // scopes go org first, so the server's rule (the narrower) is kept
    hostNamedExactly ||= match.namesHostExactly;
  }

  if (view.hostKind !== "domain") {
    const addressClass = classifyAddress(view.host);
    if (addressClass !== "public" && !(hostNamedExactly && notListedIn === null)) {
      const reason = `${view.host} is a ${addressClass ?? "invalid"} address and no allow rule names it`;
      return blocked(INTERNAL_ADDRESS_RULE, reason, scopes, view, unseen, partiallyChecked);
    }
  }
  if (notListedIn) {
    const rule = `${notListedIn.label}:${notListedIn.allowlistName ?? ""}`;
    const reason = `not on the allowlist ${rule}${describeUnseen(unseen)}`;
    return blocked(rule, reason, scopes, view, unseen, partiallyChecked);
  }
  return {
    decision: "allowed",
    rule: allowedBy?.id ?? null,
    reason: allowedBy
      ? `allowed by ${allowedBy.id} ("${allowedBy.source}")${describeUnseen(unseen)}`
      : "no allowlist applies (visibility mode)",
    level: view.level,
    notConsidered: unseen,
    partiallyChecked,
    hostNamedExactly,
  };
}

function blocked(
  rule: string,
  reason: string,
  scopes: readonly CompiledScope[],
  view: RequestView,
  unseen: readonly UnseenCondition[],
  partiallyChecked: readonly string[],
): FlowDecision {
  return {
    decision: "blocked",
    rule,
    reason,
    response: responseFor(scopes),
    level: view.level,
    notConsidered: unseen,
    partiallyChecked,
    hostNamedExactly: false,
  };
}

/** The org's scope, then the server's when it has flows of its own. */
export function scopesFor(flows: CompiledFlows, server: string | null): CompiledScope[] {
  const own = server === null ? undefined : flows.servers.get(server);
  return own ? [flows.org, own] : [flows.org];
}

/** The server's GenerateResponse, else the org's, else 403 "Forbidden Access" text/plain. */
export function responseFor(scopes: readonly CompiledScope[]): BlockResponse {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const response = scopes[i]?.response;
    if (response) return response;
  }
  return DEFAULT_BLOCK_RESPONSE;
}

function describeUnseen(unseen: readonly string[]): string {
  return unseen.length === 0 ? "" : `; ${unseen.join(", ")} not considered`;
}
