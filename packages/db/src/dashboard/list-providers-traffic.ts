import { histogramPercentile, type TTrafficWindow } from "@lunar/shared";
import type { Db } from "../client";
import { histogramsFromRows } from "./histogram-rows";
import { trafficRollups } from "./traffic-rollups";

export interface ProviderTrafficRow {
  host: string;
  domain: string;
  status: "unknown" | "approved" | "blocked";
  firstSeenAt: Date;
  lastSeenAt: Date;
  calls: number;
  errors: number;
  blocked: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

const STATUS_ORDER = { unknown: 0, blocked: 1, approved: 2 } as const;

/** Hosts listed at most; agents can report any host, so the list is bounded (unknown first). */
export const MAX_PROVIDERS_LISTED = 5_000;

/**
 * Every provider host of an org with its outbound traffic in the window (the last 24 hours from
 * the 1-minute rollups; 7 and 30 days mostly from the hourly ones, see trafficRollups): counts
 * summed, latency histograms merged bucket by bucket in SQL (one row per host and non-empty
 * bucket, so the answer stays small however many minutes and endpoints there are). Unknown hosts
 * first, then by domain and host.
 */
export async function listProvidersTraffic(
  db: Db,
  orgId: string,
  window: TTrafficWindow = "24h",
  now = new Date(),
): Promise<ProviderTrafficRow[]> {
  const rollups = trafficRollups(orgId, "http_call", window, now);
  const [providers, totals, buckets] = await Promise.all([
    db.provider.findMany({
      where: { orgId },
      // The enum's order is unknown, approved, blocked: unknown hosts are never the ones cut.
      orderBy: [{ status: "asc" }, { lastSeenAt: "desc" }],
      take: MAX_PROVIDERS_LISTED,
    }),
    db.$queryRaw<{ host: string; calls: number; errors: number; blocked: number }[]>`
      SELECT host, sum(count)::float8 AS calls, sum(errors)::float8 AS errors,
             sum(blocked)::float8 AS blocked
      FROM (${rollups}) r
      GROUP BY host`,
    db.$queryRaw<{ host: string; bucket: number; n: number }[]>`
      SELECT r.host, h.i::int - 1 AS bucket, sum(h.n)::float8 AS n
      FROM (${rollups}) r CROSS JOIN LATERAL unnest(r.histogram) WITH ORDINALITY AS h(n, i)
      WHERE h.n <> 0
      GROUP BY r.host, h.i`,
  ]);
  const totalsByHost = new Map(totals.map((row) => [row.host, row]));
  const histograms = histogramsFromRows(buckets, "host");
  return providers
    .map((provider) => {
      const total = totalsByHost.get(provider.host);
      const histogram = histograms.get(provider.host);
      return {
        host: provider.host,
        domain: provider.domain,
        status: provider.status,
        firstSeenAt: provider.firstSeenAt,
        lastSeenAt: provider.lastSeenAt,
        calls: total?.calls ?? 0,
        errors: total?.errors ?? 0,
        blocked: total?.blocked ?? 0,
        p50Ms: histogram ? histogramPercentile(histogram, 0.5) : null,
        p95Ms: histogram ? histogramPercentile(histogram, 0.95) : null,
      };
    })
    .sort(
      (a, b) =>
        STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
        a.domain.localeCompare(b.domain) ||
        a.host.localeCompare(b.host),
    );
}
