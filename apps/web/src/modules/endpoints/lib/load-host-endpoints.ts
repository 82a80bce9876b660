import { listHostEndpoints } from "@lunar/db";
import type { THostEndpointsPage, TTrafficWindow } from "@lunar/shared";
import { db } from "@/lib/db";

/** One host's endpoints with the window's traffic; null when the org never called the host. */
export async function loadHostEndpoints(
  orgId: string,
  host: string,
  window: TTrafficWindow = "24h",
): Promise<THostEndpointsPage | null> {
  const listed = await listHostEndpoints(db(), orgId, host, window);
  if (!listed) return null;
  return {
    window,
    provider: listed.provider,
    truncated: listed.truncated,
    endpoints: listed.endpoints.map((endpoint) => ({
      ...endpoint,
      firstSeenAt: endpoint.firstSeenAt?.toISOString() ?? null,
      lastSeenAt: endpoint.lastSeenAt?.toISOString() ?? null,
    })),
  };
}
