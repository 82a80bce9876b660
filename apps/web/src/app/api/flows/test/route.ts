import { getCurrentFlows } from "@lunar/db";
import { AppError, ZTestUrlInput } from "@lunar/shared";
import { json, sessionRoute } from "@/lib/api/api-route";
import { db } from "@/lib/db";
import { decideUrl } from "@/modules/flows/lib/decide-url";
import { describeFlows } from "@/modules/flows/lib/describe-flows";

/** Decides a URL with the org's current flows, without headers or DNS (docs/API.md). */
export const POST = sessionRoute({ body: ZTestUrlInput }, async ({ session, body }) => {
  const current = await getCurrentFlows(db(), session.organization.id);
  const described = describeFlows(current.document);
  if (described.errors.length > 0) {
    throw new AppError(
      "conflict",
      `The stored flows (version ${current.version}) do not load: ${described.errors[0]?.message}`,
    );
  }
  return json(decideUrl(described.compiled, current.version, body));
});
