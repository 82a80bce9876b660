import type { TAgentSummary } from "@lunar/shared";
import type { Db } from "../client";
import { isAgentConnected, readAgentServers } from "./agent-fields";

/** Agents listed at most. */
export const MAX_AGENTS_LISTED = 1_000;

/** An org's agents, connected ones first, then most recently seen. */
export async function listAgents(
  db: Db,
  orgId: string,
  now = new Date(),
): Promise<TAgentSummary[]> {
  const rows = await db.agent.findMany({
    where: { orgId },
    orderBy: [{ lastSeenAt: "desc" }],
    take: MAX_AGENTS_LISTED,
  });
  return rows
    .map((row) => ({
      id: row.id,
      name: row.name,
      version: row.version,
      connected: isAgentConnected(row, now),
      firstSeenAt: row.firstSeenAt.toISOString(),
      lastSeenAt: row.lastSeenAt.toISOString(),
      servers: readAgentServers(row.servers),
      flowsVersion: row.flowsVersion,
      droppedEvents: row.droppedEvents,
    }))
    .sort((a, b) => Number(b.connected) - Number(a.connected));
}
