import { type CompiledFlows, evaluateRequest, parseTarget, type TAgentEvent } from "@lunar/shared";

export type Recheck = "agree" | "disagree" | "inconclusive";

/**
 * The gateway's second opinion on each reported outbound call: the org's current flows applied
 * to the URL and method the agent reported. A disagreement means the agent enforced other flows
 * (stale, or tampered with). Inconclusive when the agent's rule looked at what the gateway cannot
 * see: headers, the address a name resolved to, a built-in rule, or only the host of a tunnel.
 */
export function recheckEvents(
  flows: CompiledFlows | null | undefined,
  events: readonly TAgentEvent[],
): (Recheck | null)[] {
  // A batch repeats the same few calls (polling, pagination): each distinct one is decided once.
  const decided = new Map<string, Recheck>();
  return events.map((event) => {
    if (event.type !== "http_call") return null;
    if (!flows) return "inconclusive";
    if (event.rule?.startsWith("builtin:")) return "inconclusive";
    const key = `${event.inspected}\n${event.server}\n${event.method}\n${event.scheme}\n${event.host}\n${event.port}\n${event.decision}\n${event.path}`;
    let recheck = decided.get(key);
    if (recheck === undefined) {
      recheck = recheckOne(flows, event);
      decided.set(key, recheck);
    }
    return recheck;
  });
}

function recheckOne(
  flows: CompiledFlows,
  event: Extract<TAgentEvent, { type: "http_call" }>,
): Recheck {
  const host = event.host.includes(":") ? `[${event.host}]` : event.host;
  // A blind tunnel was decided on its host alone; otherwise the URL (query values are redacted,
  // and never matched by rules anyway).
  const parsed = event.inspected
    ? parseTarget({
        kind: "absolute",
        url: `${event.scheme}://${host}:${event.port}${event.path.split("?")[0]}`,
      })
    : parseTarget({ kind: "connect", authority: `${host}:${event.port}` });
  if (!parsed.ok) return "inconclusive";
  const decision = evaluateRequest(flows, {
    target: parsed.target,
    method: event.inspected ? event.method : undefined,
    server: event.server,
  });
  if (decision.decision === event.decision) return "agree";
  const partial =
    decision.partiallyChecked.length > 0 || !event.inspected || event.path.includes("[redacted]");
  return partial ? "inconclusive" : "disagree";
}
