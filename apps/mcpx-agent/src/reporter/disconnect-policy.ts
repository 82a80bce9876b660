import { CLOSE_CODES } from "@lunar/shared";

/** How one connection attempt ended. */
export type ConnectionOutcome =
  /** The gateway answered the upgrade with an HTTP status instead (401: the key). */
  | { kind: "refused"; status: number; detail: string }
  /** The WebSocket was open and then closed (by either side; 1006 when cut). */
  | { kind: "closed"; code: number; reason: string }
  /** No answer at all: DNS, connection refused, TLS, timeout. */
  | { kind: "unreachable"; message: string };

export type NextStep =
  | { action: "retry"; wait: "backoff" | "auth"; error: string | null }
  | { action: "stop"; error: string };

/**
 * What the agent does after a connection ends (docs/PROTOCOL.md, "Close codes"): a revoked key,
 * a replacement by another process or a protocol the gateway does not speak will not get better
 * by retrying; everything else is retried.
 */
export function nextStepAfter(outcome: ConnectionOutcome): NextStep {
  if (outcome.kind === "unreachable") {
    return {
      action: "retry",
      wait: "backoff",
      error: `cannot reach the gateway: ${outcome.message}`,
    };
  }
  if (outcome.kind === "refused") {
    const detail = outcome.detail ? `: ${outcome.detail}` : "";
    if (outcome.status === 401) {
      return {
        action: "retry",
        wait: "auth",
        error: `API key rejected by the gateway${detail} (check LUNAR_API_KEY)`,
      };
    }
    return {
      action: "retry",
      wait: "backoff",
      error: `the gateway refused the connection: HTTP ${outcome.status}${detail}`,
    };
  }
  const reason = outcome.reason ? `: ${outcome.reason}` : "";
  switch (outcome.code) {
    case CLOSE_CODES.keyRevoked:
      return {
        action: "stop",
        error:
          "API key revoked: reporting stopped. Create a new key in the dashboard, set " +
          "LUNAR_API_KEY and restart the agent (events stay in the spool until then)",
      };
    case CLOSE_CODES.replaced:
      return {
        action: "stop",
        error:
          "another connection with this agent id took over (is a second mcpx-agent using the " +
          "same state directory?): this one stopped reporting",
      };
    case CLOSE_CODES.unsupportedProtocol:
      return {
        action: "stop",
        error: `the gateway does not speak this agent's protocol version${reason}: upgrade the agent`,
      };
    case CLOSE_CODES.goingAway:
      return { action: "retry", wait: "backoff", error: null };
    default:
      return {
        action: "retry",
        wait: "backoff",
        error: `connection to the gateway closed (${outcome.code}${reason})`,
      };
  }
}
