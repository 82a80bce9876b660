import { getCurrentFlows, listProvidersTraffic, MAX_PROVIDERS_LISTED } from "@lunar/db";
import type { TProvidersPage, TTrafficWindow } from "@lunar/shared";
import { db } from "@/lib/db";
import { describeFlows } from "@/modules/flows/lib/describe-flows";
import { hostDecision } from "./host-decision";

/** Providers with the window's traffic and what the flows in force decide for each host. */
export async function loadProviders(
  orgId: string,
  window: TTrafficWindow = "24h",
): Promise<TProvidersPage> {
  const [rows, current] = await Promise.all([
    listProvidersTraffic(db(), orgId, window),
    getCurrentFlows(db(), orgId),
  ]);
  const { compiled, mode } = describeFlows(current.document);
  return {
    window,
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
