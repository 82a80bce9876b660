import { DEFAULT_BLOCK_RESPONSE, type FlowDecision, type FlowRequest } from "@lunar/shared";
import type { EgressContext } from "./egress-context";

export type Destination =
  | { ok: true; address: string; port: number; decision: FlowDecision }
  | { ok: false; decision: FlowDecision }
  | { ok: false; decision: null; networkError: string };

function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.");
}

/**
 * Where an allowed request may go: the operator's --resolve mapping, else the IP literal itself,
 * else DNS; every address is checked again (internal addresses are refused after resolution, so
 * DNS rebinding cannot reach them), and the first address that passes is the one dialled: what is
 * checked is what is connected to.
 */
export async function resolveDestination(
  context: EgressContext,
  request: FlowRequest,
  decision: FlowDecision,
): Promise<Destination> {
  const { host, hostKind, port } = request.target;
  // `--resolve host:port=addr:port` first (one name, several ports), then `--resolve host=addr:port`.
  const override =
    context.resolveOverrides.get(`${host}:${port}`) ?? context.resolveOverrides.get(host);
  if (override) {
    const checked = context.flows.decideResolved(request, decision, {
      address: override.address,
      source: "operator",
    });
    return checked.decision === "allowed"
      ? { ok: true, address: override.address, port: override.port, decision: checked }
      : { ok: false, decision: checked };
  }
  let addresses: string[];
  if (hostKind !== "domain") {
    addresses = [host];
  } else {
    try {
      addresses = await context.dialer.resolve(host);
    } catch (error) {
      return {
        ok: false,
        decision: null,
        networkError: `dns: ${(error as NodeJS.ErrnoException).code ?? "failed"}`,
      };
    }
  }
  let refused: FlowDecision = decision;
  for (const address of addresses) {
    if (isLoopback(address) && context.ownPorts.has(port)) {
      refused = {
        ...decision,
        decision: "blocked",
        rule: "builtin:agent-port",
        reason: "the agent's own port is never a destination",
        response: decision.response ?? DEFAULT_BLOCK_RESPONSE,
      };
      continue;
    }
    const checked =
      hostKind === "domain"
        ? context.flows.decideResolved(request, decision, { address, source: "dns" })
        : decision;
    if (checked.decision === "allowed") return { ok: true, address, port, decision: checked };
    refused = checked;
  }
  return { ok: false, decision: refused };
}
