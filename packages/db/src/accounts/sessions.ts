import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../client";

export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
// Sliding expiry is refreshed at most this often, so reads do not write on every request.
const REFRESH_AFTER_MS = 60 * 60 * 1000;

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates a session and returns the token for the cookie (only its hash is stored). */
export async function createSession(
  db: Db,
  input: { userId: string; userAgent?: string | undefined; ip?: string | undefined },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.session.create({
    data: {
      id: hashToken(token),
      userId: input.userId,
      expiresAt,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
      ip: input.ip?.slice(0, 64) ?? null,
    },
  });
  return { token, expiresAt };
}

/** The signed-in user and their organization for a cookie token, or null when not valid. */
export async function findSessionContext(db: Db, token: string) {
  if (!token || token.length > 128) return null;
  const session = await db.session.findUnique({
    where: { id: hashToken(token) },
    include: {
      user: {
        include: {
          memberships: { include: { org: true }, orderBy: { createdAt: "asc" }, take: 1 },
        },
      },
    },
  });
  if (!session || session.expiresAt.getTime() <= Date.now()) return null;
  const membership = session.user.memberships[0];
  if (!membership) return null;
  let expiresAt = session.expiresAt;
  const refreshed = Date.now() - session.lastSeenAt.getTime() > REFRESH_AFTER_MS;
  if (refreshed) {
    expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    await db.session.update({
      where: { id: session.id },
      data: { lastSeenAt: new Date(), expiresAt },
    });
  }
  return {
    expiresAt,
    /** True when the expiry moved: the caller should send the cookie again with it. */
    refreshed,
    sessionId: session.id,
    user: { id: session.user.id, email: session.user.email },
    organization: { id: membership.org.id, name: membership.org.name },
    role: membership.role,
  };
}
export type TSessionContext = NonNullable<Awaited<ReturnType<typeof findSessionContext>>>;

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.session.deleteMany({ where: { id: hashToken(token) } });
}
