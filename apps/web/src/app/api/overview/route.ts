import { getOverview } from "@lunar/db";
import { json, sessionRoute } from "@/lib/api/api-route";
import { db } from "@/lib/db";

/** The overview's figures: 24-hour totals, connected agents, calls per minute (docs/API.md). */
export const GET = sessionRoute({}, async ({ session }) => {
  return json(await getOverview(db(), session.organization.id));
});
