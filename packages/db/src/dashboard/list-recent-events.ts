import type { TLiveEvent } from "@lunar/shared";
import type { Db } from "../client";
import { toLiveEvent } from "../live/to-live-event";

const DAY_MS = 24 * 60 * 60 * 1_000;

export interface RecentEventsFilter {
  decision?: "allowed" | "blocked";
  host?: string;
  server?: string;
  endpoint?: string;
  kind?: "tool_call" | "http_call";
  limit: number;
}

/**
 * An org's events of the last 24 hours, newest first, in the live-log shape. The time bound is
 * on occurred_at, the partition key, so only the last two daily partitions are read, through
 * the primary key (org_id, occurred_at, event_id).
 */
export async function listRecentEvents(
  db: Db,
  orgId: string,
  filter: RecentEventsFilter,
  now = new Date(),
): Promise<TLiveEvent[]> {
  const rows = await db.event.findMany({
    where: {
      orgId,
      occurredAt: { gte: new Date(now.getTime() - DAY_MS) },
      ...(filter.decision ? { decision: filter.decision } : {}),
      ...(filter.host ? { host: filter.host.toLowerCase() } : {}),
      ...(filter.server ? { server: filter.server } : {}),
      ...(filter.kind ? { kind: filter.kind } : {}),
      // As the live stream matches it: an outbound call's endpoint or a tool call's tool.
      ...(filter.endpoint
        ? { OR: [{ endpoint: filter.endpoint }, { tool: filter.endpoint }] }
        : {}),
    },
    orderBy: [{ occurredAt: "desc" }, { eventId: "desc" }],
    take: filter.limit,
  });
  return rows.map(toLiveEvent);
}
