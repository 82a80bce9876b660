import {
  type CompiledFlows,
  evaluateRequest,
  parseTarget,
  type TProviderSummary,
} from "@lunar/shared";

/**
 * What the org-wide flows decide for an https connection to a host, at host level (the question
 * a CONNECT answers): allowed, blocked, or "partial" when allowed but only for some paths or
 * methods, or when a deny rule with a path applies to part of it.
 */
export function hostDecision(compiled: CompiledFlows, host: string): TProviderSummary["flows"] {
  const authority = host.includes(":") ? `[${host}]:443` : `${host}:443`;
  const parsed = parseTarget({ kind: "connect", authority });
  if (!parsed.ok) return { decision: "refused", rule: null };
  const decision = evaluateRequest(compiled, { target: parsed.target, server: null });
  if (decision.decision === "blocked") return { decision: "blocked", rule: decision.rule };
  return {
    decision: decision.partiallyChecked.length > 0 ? "partial" : "allowed",
    rule: decision.rule,
  };
}
