import type { TLiveEvent } from "@lunar/shared";
import type { Event } from "../generated/prisma/client";

/** A stored event as the dashboard shows it (live logs and the events API alike). */
export function toLiveEvent(row: Event): TLiveEvent {
  return {
    id: row.eventId,
    kind: row.kind,
    occurredAt: row.occurredAt.toISOString(),
    agentId: row.agentId,
    server: row.server,
    durationMs: row.durationMs,
    correlationId: row.correlationId,
    tool: row.tool,
    outcome: row.outcome,
    method: row.method,
    host: row.host,
    path: row.path,
    endpoint: row.endpoint,
    status: row.status,
    decision: row.decision,
    rule: row.rule,
    networkError: row.networkError,
  };
}
