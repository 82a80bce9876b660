import { newEventId } from "@lunar/shared";
import { CallToolResultSchema, ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { EventSink } from "../reporter/event-sink";
import type { UpstreamServer } from "../upstream/upstream-server";

/** Longest a tool call may take before the agent gives up on it (the MCP SDK default is 60 s). */
const TOOL_CALL_TIMEOUT_MS = 5 * 60_000;

/**
 * Forwards one tool call and records it: server, tool, duration, outcome, error type, the call's
 * correlation id and the size of its arguments (never their values).
 */
export async function callToolRecorded(
  upstream: UpstreamServer,
  tool: string,
  args: Record<string, unknown> | undefined,
  events: EventSink,
  signal: AbortSignal,
) {
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
  let client: ReturnType<UpstreamServer["requireClient"]>;
  try {
    client = upstream.requireClient();
  } catch (error) {
    record("error", "server_unavailable");
    throw new McpError(ErrorCode.InternalError, (error as Error).message);
  }
  upstream.beginCall(correlationId);
  try {
    const result = await client.callTool({ name: tool, arguments: args }, CallToolResultSchema, {
      signal,
      timeout: TOOL_CALL_TIMEOUT_MS,
    });
    record(result.isError ? "error" : "ok", result.isError ? "tool_error" : null);
    return result;
  } catch (error) {
    if (signal.aborted) record("cancelled", "cancelled");
    else if (error instanceof McpError && error.code === ErrorCode.RequestTimeout)
      record("timeout", "timeout");
    else record("error", error instanceof McpError ? `mcp_${error.code}` : "transport");
    throw error;
  } finally {
    upstream.endCall(correlationId);
  }
}
