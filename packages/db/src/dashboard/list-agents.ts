import type { TAgentSummary } from "@lunar/shared";
import type { Db } from "../client";

/** A connection counts as live only with a heartbeat this recent (the gateway beats every 15 s). */
const LIVE_WITHIN_MS = 60_000;

/** An org's agents, connected ones first, then most recently seen. */
export async function listAgents(
  db: Db,
  orgId: string,
  now = new Date(),
): Promise<TAgentSummary[]> {
  const rows = await db.agent.findMany({
    where: { orgId },
    orderBy: [{ lastSeenAt: "desc" }],
    take: 1_000,
  });
  const liveSince = now.getTime() - LIVE_WITHIN_MS;
  return rows
    .map((row) => ({
      id: row.id,
      name: row.name,
      version: row.version,
      connected: row.connectionId !== null && row.lastSeenAt.getTime() > liveSince,
      firstSeenAt: row.firstSeenAt.toISOString(),
      lastSeenAt: row.lastSeenAt.toISOString(),
      servers: readServers(row.servers),
      flowsVersion: row.flowsVersion,
      droppedEvents: row.droppedEvents,
    }))
    .sort((a, b) => Number(b.connected) - Number(a.connected));
}

/** The servers column is what the agent's hello said (validated by the gateway); read defensively. */
function readServers(value: unknown): { name: string; transport: string }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (typeof item !== "object" || item === null) return [];
    const { name, transport } = item as { name?: unknown; transport?: unknown };
    return typeof name === "string"
      ? [{ name, transport: typeof transport === "string" ? transport : "" }]
      : [];
  });
}
