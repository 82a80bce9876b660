import {
  type CompiledFlows,
  evaluateRequest,
  parseTarget,
  type TTestUrlInput,
  type TTestUrlResult,
} from "@lunar/shared";

/**
 * "Test a URL": the decision the agent's proxy would make for this URL with these flows, as far
 * as it can be known here. There are no headers (header rules are reported as not considered)
 * and no DNS (a domain resolving to an internal address is refused by the agent afterwards).
 */
export function decideUrl(
  compiled: CompiledFlows,
  version: number,
  input: TTestUrlInput,
): TTestUrlResult {
  const parsed = parseTarget({ kind: "absolute", url: input.url.trim() });
  if (!parsed.ok) {
    return {
      version,
      decision: "refused",
      rule: null,
      reason: `the agent refuses this URL before any rule is looked at (${parsed.error.code}): ${parsed.error.message}`,
      response: null,
      target: null,
      notConsidered: [],
      partiallyChecked: [],
    };
  }
  const decision = evaluateRequest(compiled, {
    target: parsed.target,
    ...(input.method ? { method: input.method.toUpperCase() } : {}),
    server: input.server ?? null,
  });
  const { scheme, host, port, path } = parsed.target;
  return {
    version,
    decision: decision.decision,
    rule: decision.rule,
    reason: decision.reason,
    response: decision.response ? { ...decision.response } : null,
    target: { scheme, host, port, path },
    notConsidered: [...decision.notConsidered],
    partiallyChecked: [...decision.partiallyChecked],
  };
}
