import { DEFAULT_BLOCK_RESPONSE } from "@lunar/shared";
import type { EgressRule } from "./egress-rule";

function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.");
}

/** The agent's own listening ports are never a destination, whatever the flows say. */
export const agentPort: EgressRule = {
  name: "agent-port",
  address(_request, { address, port }, context) {
    if (!isLoopback(address) || !context.ownPorts.has(port)) return null;
    return {
      rule: "builtin:agent-port",
      reason: "the agent's own port is never a destination",
      response: DEFAULT_BLOCK_RESPONSE,
    };
  },
};
