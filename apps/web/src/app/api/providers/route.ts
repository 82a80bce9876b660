import { ZProvidersQuery } from "@lunar/shared";
import { json, sessionRoute } from "@/lib/api/api-route";
import { validate } from "@/lib/api/validate";
import { loadProviders } from "@/modules/providers/lib/load-providers";

/** The org's provider hosts with the window's traffic (24h, 7d, 30d), unknown first (docs/API.md). */
export const GET = sessionRoute({}, async ({ request, session }) => {
  // An empty parameter (`?window=`) means the default, as for GET /api/events.
  const given = [...request.nextUrl.searchParams].filter(([, value]) => value !== "");
  const { window } = validate(ZProvidersQuery, Object.fromEntries(given));
  return json(await loadProviders(session.organization.id, window));
});
