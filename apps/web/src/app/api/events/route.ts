import { listRecentEvents } from "@lunar/db";
import { ZEventsQuery } from "@lunar/shared";
import { json, sessionRoute } from "@/lib/api/api-route";
import { db } from "@/lib/db";

/** The org's events of the last 24 hours, newest first, filtered (docs/API.md). */
export const GET = sessionRoute({ query: ZEventsQuery }, async ({ query, session }) => {
  return json({ events: await listRecentEvents(db(), session.organization.id, query) });
});
