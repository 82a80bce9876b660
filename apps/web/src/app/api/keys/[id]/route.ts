import { revokeApiKey } from "@lunar/db";
import { AppError, ZApiKeyIdParam } from "@lunar/shared";
import { sessionRoute } from "@/lib/api/api-route";
import { db } from "@/lib/db";

export const DELETE = sessionRoute({ params: ZApiKeyIdParam }, async ({ session, params }) => {
  const found = await revokeApiKey(db(), { orgId: session.organization.id, keyId: params.id });
  if (!found) throw new AppError("not_found", "No API key with this id in your organization");
  return new Response(null, { status: 204 });
});
