import {
  histogramPercentile,
  providerDomainOf,
  type TProviderStatus,
  type TTrafficWindow,
} from "@lunar/shared";
import type { Db } from "../client";
import { findProvider } from "./find-provider";
import { histogramsFromRows } from "./histogram-rows";
import { trafficRollups } from "./traffic-rollups";

/**
 * Endpoints listed at most. The ingest caps endpoints per host, but past the cap each method
 * still gets its own {other} row, and agents can report any method: the list is bounded here too.
 */
export const MAX_HOST_ENDPOINTS_LISTED = 1_000;

/** Servers named per endpoint; serverCount covers them all. */
const SERVER_NAMES = 10;

export interface HostEndpointRow {
  method: string;
  template: string;
  calls: number;
  errors: number;
  blocked: number;
  p50Ms: number | null;
  p95Ms: number | null;
  /** The first servers by name that called it in the window. */
  servers: string[];
  serverCount: number;
  /** From the endpoints table; null only for traffic whose endpoint row is missing. */
  firstSeenAt: Date | null;
  lastSeenAt: Date | null;
}

export interface HostEndpoints {
  provider: { host: string; domain: string; status: TProviderStatus };
  endpoints: HostEndpointRow[];
  truncated: boolean;
}

interface EndpointTotalsRow {
  method: string;
  template: string;
  calls: number;
  errors: number;
  blocked: number;
  server_count: number;
  servers: string[];
  first_seen_at: Date | null;
  last_seen_at: Date | null;
}

/**
 * Every endpoint (method and template) of one host of an org: the ones in the endpoints table,
 * with or without traffic in the window, and any with traffic only. Per endpoint: calls, errors
 * and blocked in the window (rollups read as for the providers page, see trafficRollups), latency
 * percentiles from histograms merged in SQL, and the servers that called it. Most calls first,
 * then by method and template. Null when the org never called the host (no provider row, no
 * endpoint): another org's host looks exactly like a missing one.
 */
export async function listHostEndpoints(
  db: Db,
  orgId: string,
  host: string,
  window: TTrafficWindow = "24h",
  now = new Date(),
): Promise<HostEndpoints | null> {
  const rollups = trafficRollups(orgId, "http_call", window, now);
  const [provider, totals, buckets] = await Promise.all([
    findProvider(db, orgId, host),
    db.$queryRaw<EndpointTotalsRow[]>`
      WITH traffic AS (
        SELECT method, endpoint AS template, sum(count)::float8 AS calls,
               sum(errors)::float8 AS errors, sum(blocked)::float8 AS blocked,
               count(DISTINCT server)::int AS server_count,
               (array_agg(DISTINCT server ORDER BY server))[1:${SERVER_NAMES}] AS servers
        FROM (${rollups}) r
        WHERE r.host = ${host}
        GROUP BY method, endpoint
      ), seen AS (
        SELECT method, template, first_seen_at, last_seen_at
        FROM endpoints
        WHERE org_id = ${orgId}::uuid AND host = ${host}
      )
      SELECT coalesce(t.method, s.method) AS method, coalesce(t.template, s.template) AS template,
             coalesce(t.calls, 0) AS calls, coalesce(t.errors, 0) AS errors,
             coalesce(t.blocked, 0) AS blocked, coalesce(t.server_count, 0) AS server_count,
             coalesce(t.servers, '{}') AS servers, s.first_seen_at, s.last_seen_at
      FROM traffic t
      FULL JOIN seen s ON s.method = t.method AND s.template = t.template
      ORDER BY calls DESC, method, template
      LIMIT ${MAX_HOST_ENDPOINTS_LISTED + 1}`,
    // Keyed by "METHOD template": a method is upper-case letters only, so the first space splits.
    db.$queryRaw<{ key: string; bucket: number; n: number }[]>`
      SELECT r.method || ' ' || r.endpoint AS key, h.i::int - 1 AS bucket, sum(h.n)::float8 AS n
      FROM (${rollups}) r CROSS JOIN LATERAL unnest(r.histogram) WITH ORDINALITY AS h(n, i)
      WHERE r.host = ${host} AND h.n <> 0
      GROUP BY r.method, r.endpoint, h.i`,
  ]);
  if (!provider && totals.length === 0) return null;

  const histograms = histogramsFromRows(buckets, "key");
  const endpoints = totals.slice(0, MAX_HOST_ENDPOINTS_LISTED).map((row) => {
    const histogram = histograms.get(`${row.method} ${row.template}`);
    return {
      method: row.method,
      template: row.template,
      calls: row.calls,
      errors: row.errors,
      blocked: row.blocked,
      p50Ms: histogram ? histogramPercentile(histogram, 0.5) : null,
      p95Ms: histogram ? histogramPercentile(histogram, 0.95) : null,
      servers: row.servers,
      serverCount: row.server_count,
      firstSeenAt: row.first_seen_at,
      lastSeenAt: row.last_seen_at,
    };
  });
  return {
    // Endpoints without a provider row are never expected (the ingest writes both together):
    // such a host counts as unknown, since nobody decided it.
    provider: provider ?? { host, domain: providerDomainOf(host), status: "unknown" },
    endpoints,
    truncated: totals.length > MAX_HOST_ENDPOINTS_LISTED,
  };
}
