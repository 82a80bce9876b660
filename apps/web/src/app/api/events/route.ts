import { listRecentEvents } from "@lunar/db";
import { ZEventsQuery } from "@lunar/shared";
import { json, sessionRoute } from "@/lib/api/api-route";
import { validate } from "@/lib/api/validate";
import { db } from "@/lib/db";

/** The org's events of the last 24 hours, newest first, filtered (docs/API.md). */
export const GET = sessionRoute({}, async ({ request, session }) => {
  // An empty parameter (`?host=`) means "any", as a form with an empty field sends it.
  const given = [...request.nextUrl.searchParams].filter(([, value]) => value !== "");
  const query = validate(ZEventsQuery, Object.fromEntries(given));
  return json({ events: await listRecentEvents(db(), session.organization.id, query) });
});
