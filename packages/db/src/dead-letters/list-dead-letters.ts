import type { TDeadLettersPage } from "@lunar/shared";
import type { Db } from "../client";

/**
 * An org's dead letters (events the ingest could not store), newest first, with the name of the
 * agent that sent each and how many the org has in all. Read through the (org_id, received_at)
 * index.
 */
export async function listDeadLetters(
  db: Db,
  orgId: string,
  limit: number,
): Promise<TDeadLettersPage> {
  const [rows, total] = await db.$transaction([
    db.deadLetterEvent.findMany({
      where: { orgId },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: limit,
    }),
    db.deadLetterEvent.count({ where: { orgId } }),
  ]);
  const agentIds = [...new Set(rows.map((row) => row.agentId))];
  const agents = await db.agent.findMany({
    where: { orgId, id: { in: agentIds } },
    select: { id: true, name: true },
  });
  const names = new Map(agents.map((agent) => [agent.id, agent.name]));
  return {
    total,
    deadLetters: rows.map((row) => ({
      id: row.id,
      receivedAt: row.receivedAt.toISOString(),
      agentId: row.agentId,
      agentName: names.get(row.agentId) ?? null,
      eventId: row.eventId,
      kind: row.kind,
      reason: row.reason,
      payload: row.payload,
    })),
  };
}
