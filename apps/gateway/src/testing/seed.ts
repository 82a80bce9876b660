import { randomUUID } from "node:crypto";
import { createApiKey, createDb, createUserWithOrganization, type Db } from "@lunar/db";

/** An org with one live API key, made through the same functions the dashboard uses. */
export async function seedOrgWithKey(db: Db, label: string) {
  const { user, organization } = await createUserWithOrganization(db, {
    email: `${label}-${randomUUID().slice(0, 8)}@example.com`,
    passwordHash: "not-used",
    organizationName: label,
  });
  const { key, secret } = await createApiKey(db, {
    orgId: organization.id,
    name: label,
    createdById: user.id,
  });
  return { orgId: organization.id, userId: user.id, keyId: key.id, apiKey: secret };
}

export { createDb };
