import { ZProvidersQuery } from "@lunar/shared";
import { json, sessionRoute } from "@/lib/api/api-route";
import { loadProviders } from "@/modules/providers/lib/load-providers";

/** The org's provider hosts with the window's traffic (24h, 7d, 30d), unknown first (docs/API.md). */
export const GET = sessionRoute({ query: ZProvidersQuery }, async ({ query, session }) => {
  return json(await loadProviders(session.organization.id, query.window));
});
