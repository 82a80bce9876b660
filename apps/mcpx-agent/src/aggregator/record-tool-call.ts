import { newEventId } from "@lunar/shared";
import type { RequestOptions } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  type CallToolRequest,
  CallToolResultSchema,
  ErrorCode,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";
import type { EventSink } from "../reporter/event-sink";
import { type UpstreamServer, UpstreamUnavailableError } from "../upstream/upstream-server";

/** How long a call waits for its server to finish starting (npx may be downloading it). */
export const SERVER_WAIT_MS = 30_000;

/**
 * Forwards one tool call and records it: server, tool, duration, outcome, error type, the call's
 * correlation id and the size of its arguments (never their values).
 */
export async function callToolRecorded(
  upstream: UpstreamServer,
  params: CallToolRequest["params"],
  events: EventSink,
  options: RequestOptions & { signal: AbortSignal },
) {
  const tool = params.name;
  const args = params.arguments;
  const { signal } = options;
  const correlationId = newEventId();
  const started = performance.now();
  const record = (outcome: "ok" | "error" | "timeout" | "cancelled", errorType: string | null) =>
    events.record({
      id: newEventId(),
      type: "tool_call",
      ts: Date.now(),
      server: upstream.name,
      tool,
      correlationId,
      durationMs: performance.now() - started,
      outcome,
      errorType,
      argumentBytes: args ? Buffer.byteLength(JSON.stringify(args)) : 0,
    });
  try {
    const result = await upstream.useClient(SERVER_WAIT_MS, (client) => {
      upstream.beginCall(correlationId);
      return client.callTool(params, CallToolResultSchema, options);
    });
    record(result.isError ? "error" : "ok", result.isError ? "tool_error" : null);
    return result;
  } catch (error) {
    if (error instanceof UpstreamUnavailableError) {
      record("error", "server_unavailable");
      throw new McpError(ErrorCode.InternalError, error.message);
    }
    if (signal.aborted) record("cancelled", "cancelled");
    else if (error instanceof McpError && error.code === ErrorCode.RequestTimeout)
      record("timeout", "timeout");
    else record("error", error instanceof McpError ? `mcp_${error.code}` : "transport");
    throw error;
  } finally {
    upstream.endCall(correlationId);
  }
}
