import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

export interface ConnectionLost {
  /** Why the connection to the server is no longer usable, for status and logs. */
  reason: string;
  /** The server never got the request, so sending it again on a new connection is safe. */
  unsent: boolean;
}

/** Connection errors that mean the request never reached the server. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/**
 * Whether a transport error means the connection to a remote server is gone and the agent must
 * connect and initialize again: the server forgot our session (it restarted: 404 "Session not
 * found" as the spec says, or a 400 naming the session or saying the server is not initialized,
 * as many servers answer), the event stream
 * could not be reopened, or the server cannot be reached. Anything else is `null`.
 */
export function connectionLost(error: unknown): ConnectionLost | null {
  if (error instanceof StreamableHTTPError) {
    if (error.code === 404)
      return { reason: `the server no longer knows our session (HTTP 404)`, unsent: true };
    if (error.code === 400 && /session|not initialized/i.test(error.message))
      return { reason: `the server no longer knows our session (HTTP 400)`, unsent: true };
    return null;
  }
  if (!(error instanceof Error)) return null;
  if (/^Maximum reconnection attempts/.test(error.message))
    return { reason: "the server's event stream dropped and could not be reopened", unsent: false };
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  if (error instanceof TypeError && error.message === "fetch failed" && typeof code === "string")
    return { reason: `the server cannot be reached (${code})`, unsent: NOT_SENT_CODES.has(code) };
  return null;
}
