import { createApiKey, listApiKeys } from "@lunar/db";
import { ZCreateApiKeyInput } from "@lunar/shared";
import { json, sessionRoute } from "@/lib/api/api-route";
import { db } from "@/lib/db";
import { toApiKeySummary } from "@/modules/api-keys/lib/to-api-key-summary";

export const GET = sessionRoute({}, async ({ session }) => {
  const keys = await listApiKeys(db(), session.organization.id);
  return json({ keys: keys.map(toApiKeySummary) });
});

export const POST = sessionRoute({ body: ZCreateApiKeyInput }, async ({ session, body }) => {
  const { key, secret } = await createApiKey(db(), {
    orgId: session.organization.id,
    name: body.name,
    createdById: session.user.id,
  });
  return json({ ...toApiKeySummary(key), secret }, 201);
});
