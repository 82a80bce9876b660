import { ZProviderActionInput } from "@lunar/shared";
import { json, sessionRoute } from "@/lib/api/api-route";
import { decideProvider } from "@/modules/providers/lib/decide-provider";

/** Puts a host on the org's allowlist (docs/API.md; 409 when that would create the allowlist). */
export const POST = sessionRoute({ body: ZProviderActionInput }, async ({ session, body }) => {
  const result = await decideProvider(
    "approve",
    { orgId: session.organization.id, userId: session.user.id },
    body,
  );
  return json(result);
});
