import type { TLiveEvent } from "@lunar/shared";
import type { Db } from "../client";

/** A batch's events, found the way NOTIFY names it: org and time range (the key), then batch id. */
export async function findBatchEvents(
  db: Db,
  ref: { orgId: string; batchId: string; from: number; to: number },
  limit = 1_000,
): Promise<TLiveEvent[]> {
  const rows = await db.event.findMany({
    where: {
      orgId: ref.orgId,
      occurredAt: { gte: new Date(ref.from), lte: new Date(ref.to) },
      batchId: ref.batchId,
    },
    orderBy: { occurredAt: "asc" },
    take: limit,
  });
  return rows.map((row) => ({
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
  }));
}
