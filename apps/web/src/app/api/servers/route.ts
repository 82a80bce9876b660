import { ZServersQuery } from "@lunar/shared";
import { json, sessionRoute } from "@/lib/api/api-route";
import { loadServers } from "@/modules/servers/lib/load-servers";

/** The org's MCP servers with the window's traffic (24h, 7d, 30d) (docs/API.md). */
export const GET = sessionRoute({ query: ZServersQuery }, async ({ query, session }) => {
  return json(await loadServers(session.organization.id, query.window));
});
