import type { FlowDecision, FlowRequest } from "@lunar/shared";
import type { EgressContext } from "./egress-context";

/** The flows' decision, except for a host this server is allowed by a built-in rule. */
export function decideWithBuiltins(context: EgressContext, request: FlowRequest): FlowDecision {
  const builtin = context.builtinAllow.get(request.target.host);
  if (builtin && request.target.scheme === "https" && request.target.port === 443) {
    return {
      decision: "allowed",
      rule: builtin,
      reason: `${request.target.host} is this server's package registry (${builtin})`,
      level: request.target.form === "connect" ? "host" : "request",
      notConsidered: [],
      partiallyChecked: [],
      hostNamedExactly: true,
    };
  }
  return context.flows.decide(request);
}
