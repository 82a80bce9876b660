import type { Db } from "../client";

/** Gateways LISTEN here and close the revoked key's live connections at once. */
export const KEY_REVOKED_CHANNEL = "lunar_key_revoked";

/**
 * Revokes a key of the org. Returns false when the org has no such key (another org's key id
 * looks exactly like a missing one). Revoking twice keeps the first revocation time.
 */
export async function revokeApiKey(
  db: Db,
  input: { orgId: string; keyId: string },
): Promise<boolean> {
  const key = await db.apiKey.findFirst({ where: { id: input.keyId, orgId: input.orgId } });
  if (!key) return false;
  if (!key.revokedAt) {
    await db.apiKey.updateMany({
      where: { id: key.id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
  }
  // Sent on repeats too: a gateway that missed the first notice still closes the connection.
  await db.$executeRaw`SELECT pg_notify(${KEY_REVOKED_CHANNEL}, ${key.id})`;
  return true;
}
