import { generateApiKey } from "@lunar/shared";
import type { Db } from "../client";

/** Creates a key and returns its secret: the only time the secret exists outside the caller. */
export async function createApiKey(
  db: Db,
  input: { orgId: string; name: string; createdById: string },
) {
  const generated = generateApiKey();
  const key = await db.apiKey.create({
    data: {
      orgId: input.orgId,
      name: input.name,
      prefix: generated.prefix,
      secretHash: generated.hash,
      createdById: input.createdById,
    },
  });
  return { key, secret: generated.secret };
}
