import { histogramPercentile, LATENCY_BUCKETS } from "@lunar/shared";
import type { Db } from "../client";

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
 * Every provider host of an org with its outbound traffic of the last 24 hours, read from the
 * 1-minute rollups: counts summed, latency histograms merged bucket by bucket in SQL (one row per
 * host and non-empty bucket, so the answer stays small however many minutes and endpoints there
 * are). Unknown hosts first, then by domain and host.
 */
export async function listProvidersTraffic(
  db: Db,
  orgId: string,
  now = new Date(),
): Promise<ProviderTrafficRow[]> {
  const since = new Date(now.getTime() - 24 * 60 * 60 * 1_000);
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
      FROM rollups_1m
      WHERE org_id = ${orgId}::uuid AND bucket >= ${since} AND kind = 'http_call'
      GROUP BY host`,
    db.$queryRaw<{ host: string; bucket: number; n: number }[]>`
      SELECT r.host, h.i::int - 1 AS bucket, sum(h.n)::float8 AS n
      FROM rollups_1m r CROSS JOIN LATERAL unnest(r.histogram) WITH ORDINALITY AS h(n, i)
      WHERE r.org_id = ${orgId}::uuid AND r.bucket >= ${since} AND r.kind = 'http_call'
        AND h.n <> 0
      GROUP BY r.host, h.i`,
  ]);
  const totalsByHost = new Map(totals.map((row) => [row.host, row]));
  const histograms = new Map<string, number[]>();
  for (const row of buckets) {
    let histogram = histograms.get(row.host);
    if (!histogram) {
      histogram = new Array<number>(LATENCY_BUCKETS).fill(0);
      histograms.set(row.host, histogram);
    }
    if (row.bucket >= 0 && row.bucket < LATENCY_BUCKETS) histogram[row.bucket] = row.n;
  }
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
