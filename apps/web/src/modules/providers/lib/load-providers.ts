import { getCurrentFlows, listProvidersTraffic, MAX_PROVIDERS_LISTED } from "@lunar/db";
import type { TProvidersPage } from "@lunar/shared";
import { db } from "@/lib/db";
import { describeFlows } from "@/modules/flows/lib/describe-flows";
import { hostDecision } from "./host-decision";

/** Providers with 24-hour traffic and what the flows in force decide for each host. */
export async function loadProviders(orgId: string): Promise<TProvidersPage> {
  const [rows, current] = await Promise.all([
    listProvidersTraffic(db(), orgId),
    getCurrentFlows(db(), orgId),
  ]);
  const { compiled, mode } = describeFlows(current.document);
  return {
    flowsVersion: current.version,
    hasAllowlist: mode === "allowlist",
    truncated: rows.length >= MAX_PROVIDERS_LISTED,
    providers: rows.map((row) => ({
      host: row.host,
      domain: row.domain,
      status: row.status,
      firstSeenAt: row.firstSeenAt.toISOString(),
      lastSeenAt: row.lastSeenAt.toISOString(),
      calls: row.calls,
      errors: row.errors,
      blocked: row.blocked,
      p50Ms: row.p50Ms,
      p95Ms: row.p95Ms,
      flows: hostDecision(compiled, row.host),
    })),
  };
}
