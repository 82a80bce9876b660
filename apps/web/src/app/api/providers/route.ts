import { json, sessionRoute } from "@/lib/api/api-route";
import { loadProviders } from "@/modules/providers/lib/load-providers";

/** The org's provider hosts with 24-hour traffic, unknown first (docs/API.md). */
export const GET = sessionRoute({}, async ({ session }) => {
  return json(await loadProviders(session.organization.id));
});
