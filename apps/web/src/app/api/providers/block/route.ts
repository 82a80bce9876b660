import { ZProviderActionInput } from "@lunar/shared";
import { json, sessionRoute } from "@/lib/api/api-route";
import { decideProvider } from "@/modules/providers/lib/decide-provider";

/** Adds a deny rule for a host (docs/API.md). */
export const POST = sessionRoute({ body: ZProviderActionInput }, async ({ session, body }) => {
  const result = await decideProvider(
    "block",
    { orgId: session.organization.id, userId: session.user.id },
    body,
  );
  return json(result);
});
