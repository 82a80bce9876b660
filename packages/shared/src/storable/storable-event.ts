import type { TAgentEvent, THttpCallEvent, TToolCallEvent } from "../protocol/events";
import type { TServerInfo } from "../protocol/frames";
import { isStorableText, toStorableInt4, toStorableText } from "./storable-text";

// The event schema's text limits (packages/shared/src/protocol/events.ts), applied by cutting:
// an agent reports what a hostile MCP server named a tool, and cutting keeps the event.
const LIMITS = {
  server: 128,
  correlationId: 128,
  tool: 128,
  errorType: 128,
  host: 253,
  path: 2048,
  rule: 256,
  networkError: 256,
} as const;

function text(value: string, max: number): string {
  return isStorableText(value) && value.length <= max ? value : toStorableText(value, max);
}

function nullableText(value: string | null, max: number): string | null {
  return value === null ? null : text(value, max);
}

function fits(value: string | null, max: number): boolean {
  return value === null || (value.length <= max && isStorableText(value));
}

function needsRepair(event: TAgentEvent): boolean {
  if (!fits(event.server, LIMITS.server) || !fits(event.correlationId, LIMITS.correlationId))
    return true;
  if (event.type === "tool_call") {
    return (
      !fits(event.tool, LIMITS.tool) ||
      !fits(event.errorType, LIMITS.errorType) ||
      toStorableInt4(event.argumentBytes) !== event.argumentBytes
    );
  }
  return (
    !fits(event.host, LIMITS.host) ||
    !fits(event.path, LIMITS.path) ||
    !fits(event.rule, LIMITS.rule) ||
    !fits(event.networkError, LIMITS.networkError)
  );
}

/**
 * The event with every text field storable (NUL and unpaired surrogates replaced, cut to the
 * schema's limit) and `argumentBytes` saturated into INTEGER. Returns the same object when
 * nothing needs repair, the common case: the gateway calls this for every stored event.
 */
export function toStorableEvent<T extends TAgentEvent>(event: T): T {
  if (!needsRepair(event)) return event;
  const base = {
    server: text(event.server, LIMITS.server),
    correlationId: nullableText(event.correlationId, LIMITS.correlationId),
  };
  if (event.type === "tool_call") {
    const repaired: TToolCallEvent = {
      ...event,
      ...base,
      tool: text(event.tool, LIMITS.tool),
      errorType: nullableText(event.errorType, LIMITS.errorType),
      argumentBytes: toStorableInt4(event.argumentBytes),
    };
    return repaired as T;
  }
  const repaired: THttpCallEvent = {
    ...event,
    ...base,
    host: text(event.host, LIMITS.host),
    path: text(event.path, LIMITS.path),
    rule: nullableText(event.rule, LIMITS.rule),
    networkError: nullableText(event.networkError, LIMITS.networkError),
  };
  return repaired as T;
}

/** An agent's own strings in hello and servers frames (name, version, server names). */
export function toStorableServers(servers: TServerInfo[]): TServerInfo[] {
  return servers.map((server) =>
    fits(server.name, 128) ? server : { ...server, name: toStorableText(server.name, 128) },
  );
}
