import { listDeadLetters } from "@lunar/db";
import { ZDeadLettersQuery } from "@lunar/shared";
import { json, sessionRoute } from "@/lib/api/api-route";
import { db } from "@/lib/db";

/** Events the org's gateways could not store, newest first, with the reason (docs/API.md). */
export const GET = sessionRoute({ query: ZDeadLettersQuery }, async ({ query, session }) => {
  return json(await listDeadLetters(db(), session.organization.id, query.limit));
});
