import {
  type CompiledFlows,
  evaluateRequest,
  type ParsedTarget,
  parseTarget,
  type TAgentEvent,
} from "@lunar/shared";

export type Recheck = "agree" | "disagree" | "inconclusive";

type HttpCall = Extract<TAgentEvent, { type: "http_call" }>;

// A path in the form the agent's own parser produces it (only unreserved characters and "/", no
// dot segments) is already canonical: normalising it again would give it back unchanged.
const CANONICAL_PATH = /^\/[A-Za-z0-9\-._~/]*$/;
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

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
  // A batch repeats the same few calls (polling, pagination) and the same few hosts: each
  // distinct call is decided once, each distinct host:port parsed once.
  const decided = new Map<string, Recheck>();
  const authorities = new Map<string, ParsedTarget | null>();
  return events.map((event) => {
    if (event.type !== "http_call") return null;
    if (!flows) return "inconclusive";
    if (event.rule?.startsWith("builtin:")) return "inconclusive";
    const key = `${event.inspected}\n${event.server}\n${event.method}\n${event.scheme}\n${event.host}\n${event.port}\n${event.decision}\n${event.path}`;
    let recheck = decided.get(key);
    if (recheck === undefined) {
      recheck = recheckSafely(flows, event, authorities);
      decided.set(key, recheck);
    }
    return recheck;
  });
}

/** A second opinion that fails (a report no parser expected) is no opinion, never a lost batch. */
function recheckSafely(
  flows: CompiledFlows,
  event: HttpCall,
  authorities: Map<string, ParsedTarget | null>,
): Recheck {
  try {
    return recheckOne(flows, event, authorities);
  } catch {
    return "inconclusive";
  }
}

function recheckOne(
  flows: CompiledFlows,
  event: HttpCall,
  authorities: Map<string, ParsedTarget | null>,
): Recheck {
  const target = targetOf(event, authorities);
  if (!target) return "inconclusive";
  const decision = evaluateRequest(flows, {
    target,
    method: event.inspected ? event.method : undefined,
    server: event.server,
  });
  if (decision.decision === event.decision) return "agree";
  const partial =
    decision.partiallyChecked.length > 0 || !event.inspected || event.path.includes("[redacted]");
  return partial ? "inconclusive" : "disagree";
}

/** What the agent decided on: the tunnel's host alone, or the URL (query values are redacted,
 * and never matched by rules anyway). null when the reported call does not parse. */
function targetOf(
  event: HttpCall,
  authorities: Map<string, ParsedTarget | null>,
): ParsedTarget | null {
  const host = event.host.includes(":") ? `[${event.host}]` : event.host;
  const authority = `${host}:${event.port}`;
  let connect = authorities.get(authority);
  if (connect === undefined) {
    const parsed = parseTarget({ kind: "connect", authority });
    connect = parsed.ok ? parsed.target : null;
    authorities.set(authority, connect);
  }
  if (!connect || !event.inspected) return connect;
  const path = event.path.split("?")[0] as string;
  if (CANONICAL_PATH.test(path) && !DOT_SEGMENT.test(path)) {
    return { ...connect, form: "absolute", scheme: event.scheme, path, query: "" };
  }
  const parsed = parseTarget({ kind: "absolute", url: `${event.scheme}://${authority}${path}` });
  return parsed.ok ? parsed.target : null;
}
