import { TRAFFIC_WINDOW_MS, type TTrafficWindow } from "@lunar/shared";
import { HOUR_MS, recomputeWindowStart } from "../events/rollup-hours";
import { Prisma } from "../generated/prisma/client";

/**
 * Where a window's parts start. 24 h reads only minutes. Longer windows split on hour boundaries,
 * so every minute is in exactly one part:
 * - minutes of the partial first hour, [since, hoursFrom);
 * - hourly rows of the full hours, [hoursFrom, hoursTo), which are final in rollups_1h;
 * - minutes from hoursTo on: the hours every compaction run still recomputes (the current one
 *   and the 2 before it), so what was stored since the last run is counted, and counted once.
 */
export function trafficWindowParts(
  window: TTrafficWindow,
  now: Date,
):
  | { since: Date; hoursFrom: Date; hoursTo: Date }
  | { since: Date; hoursFrom: null; hoursTo: null } {
  const since = new Date(now.getTime() - TRAFFIC_WINDOW_MS[window]);
  const hoursFrom = new Date(Math.ceil(since.getTime() / HOUR_MS) * HOUR_MS);
  const hoursTo = recomputeWindowStart(now.getTime());
  if (window === "24h" || hoursFrom >= hoursTo) return { since, hoursFrom: null, hoursTo: null };
  return { since, hoursFrom, hoursTo };
}

/**
 * One org's rollup rows of one kind covering the window up to now, as a subquery with the columns
 * host, server, method, endpoint, count, errors, blocked, duration_sum_ms and histogram.
 */
export function trafficRollups(
  orgId: string,
  kind: "http_call" | "tool_call",
  window: TTrafficWindow,
  now: Date,
): Prisma.Sql {
  const parts = trafficWindowParts(window, now);
  const select = (table: "rollups_1m" | "rollups_1h", from: Date, to: Date | null) => Prisma.sql`
    SELECT host, server, method, endpoint, count, errors, blocked, duration_sum_ms, histogram
    FROM ${Prisma.raw(table)}
    WHERE org_id = ${orgId}::uuid AND kind = ${kind}::event_kind AND bucket >= ${from}
      ${to ? Prisma.sql`AND bucket < ${to}` : Prisma.empty}`;
  if (parts.hoursFrom === null) return select("rollups_1m", parts.since, null);
  return Prisma.sql`${select("rollups_1m", parts.since, parts.hoursFrom)}
    UNION ALL ${select("rollups_1h", parts.hoursFrom, parts.hoursTo)}
    UNION ALL ${select("rollups_1m", parts.hoursTo, null)}`;
}
