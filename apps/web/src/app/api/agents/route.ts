import { json, sessionRoute } from "@/lib/api/api-route";
import { loadAgents } from "@/modules/agents/lib/load-agents";

/** The org's agents: connection, version, servers, flows version, dropped events (docs/API.md). */
export const GET = sessionRoute({}, async ({ session }) => {
  return json(await loadAgents(session.organization.id));
});
