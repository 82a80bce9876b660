import type { TOverview } from "@lunar/shared";
import type { Db } from "../client";

const MINUTE_MS = 60_000;

/**
 * The overview's figures, all real: 24-hour totals from the 1-minute rollups, unknown hosts seen
 * in that window, agents connected now (a live connection with a heartbeat in the last minute),
 * and calls per minute over the last hour.
 */
export async function getOverview(db: Db, orgId: string, now = new Date()): Promise<TOverview> {
  const since24h = new Date(now.getTime() - 24 * 60 * MINUTE_MS);
  const firstMinute = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS - 59 * MINUTE_MS;
  const [anyRollup, totals, unknownHosts, connectedAgents, minutes] = await Promise.all([
    db.rollup1m.findFirst({ where: { orgId }, select: { bucket: true } }),
    db.$queryRaw<{ kind: string; calls: number; blocked: number }[]>`
      SELECT kind::text AS kind, sum(count)::float8 AS calls, sum(blocked)::float8 AS blocked
      FROM rollups_1m WHERE org_id = ${orgId}::uuid AND bucket >= ${since24h}
      GROUP BY kind`,
    db.provider.count({ where: { orgId, status: "unknown", lastSeenAt: { gte: since24h } } }),
    db.agent.count({
      where: {
        orgId,
        connectionId: { not: null },
        lastSeenAt: { gt: new Date(now.getTime() - MINUTE_MS) },
      },
    }),
    db.$queryRaw<{ bucket: Date; kind: string; calls: number; blocked: number }[]>`
      SELECT bucket, kind::text AS kind, sum(count)::float8 AS calls,
             sum(blocked)::float8 AS blocked
      FROM rollups_1m WHERE org_id = ${orgId}::uuid AND bucket >= ${new Date(firstMinute)}
      GROUP BY bucket, kind`,
  ]);
  const byKind = new Map(totals.map((row) => [row.kind, row]));
  const perMinute = Array.from({ length: 60 }, (_, index) => ({
    minute: new Date(firstMinute + index * MINUTE_MS).toISOString(),
    toolCalls: 0,
    outboundCalls: 0,
    blocked: 0,
  }));
  for (const row of minutes) {
    const point = perMinute[Math.floor((row.bucket.getTime() - firstMinute) / MINUTE_MS)];
    if (!point) continue; // a clock-skewed minute ahead of now
    if (row.kind === "tool_call") point.toolCalls += row.calls;
    else point.outboundCalls += row.calls;
    point.blocked += row.blocked;
  }
  return {
    hasTraffic: anyRollup !== null,
    last24h: {
      toolCalls: byKind.get("tool_call")?.calls ?? 0,
      outboundCalls: byKind.get("http_call")?.calls ?? 0,
      blocked: byKind.get("http_call")?.blocked ?? 0,
      unknownHosts,
    },
    connectedAgents,
    perMinute,
  };
}
