import { ZServersQuery } from "@lunar/shared";
import { json, sessionRoute } from "@/lib/api/api-route";
import { validate } from "@/lib/api/validate";
import { loadServers } from "@/modules/servers/lib/load-servers";

/** The org's MCP servers with the window's traffic (24h, 7d, 30d) (docs/API.md). */
export const GET = sessionRoute({}, async ({ request, session }) => {
  // An empty parameter (`?window=`) means the default, as for GET /api/providers.
  const given = [...request.nextUrl.searchParams].filter(([, value]) => value !== "");
  const { window } = validate(ZServersQuery, Object.fromEntries(given));
  return json(await loadServers(session.organization.id, window));
});
