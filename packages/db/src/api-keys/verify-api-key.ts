import { timingSafeEqual } from "node:crypto";
import { hashApiKey, isWellFormedApiKey } from "@lunar/shared";
import type { Db } from "../client";

// last_used_at is a "roughly when" for humans: one write per key per minute at most.
const LAST_USED_RESOLUTION_MS = 60_000;
const lastUseWrittenAt = new Map<string, number>();

export type ApiKeyVerification =
  | { ok: true; keyId: string; orgId: string }
  | { ok: false; reason: "malformed" | "unknown" | "revoked" };

/**
 * Turns an agent's API key into its org. A mistyped key fails its checksum without a database
 * lookup; a well-formed one is looked up by hash and compared in constant time.
 */
export async function verifyApiKey(db: Db, candidate: string): Promise<ApiKeyVerification> {
  if (!isWellFormedApiKey(candidate)) return { ok: false, reason: "malformed" };
  const hash = hashApiKey(candidate);
  const key = await db.apiKey.findUnique({
    where: { secretHash: hash },
    select: { id: true, orgId: true, secretHash: true, revokedAt: true },
  });
  if (!key || !timingSafeEqual(Buffer.from(key.secretHash), Buffer.from(hash))) {
    return { ok: false, reason: "unknown" };
  }
  if (key.revokedAt) return { ok: false, reason: "revoked" };
  await touchLastUsed(db, key.id);
  return { ok: true, keyId: key.id, orgId: key.orgId };
}

async function touchLastUsed(db: Db, keyId: string): Promise<void> {
  const now = Date.now();
  const last = lastUseWrittenAt.get(keyId);
  if (last !== undefined && now - last < LAST_USED_RESOLUTION_MS) return;
  lastUseWrittenAt.set(keyId, now);
  // The condition keeps several gateway processes from each writing within the same minute.
  await db.$executeRaw`
    UPDATE api_keys SET last_used_at = now()
    WHERE id = ${keyId}::uuid
      AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`;
}
