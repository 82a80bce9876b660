import type { Db } from "../client";

export function listApiKeys(db: Db, orgId: string) {
  return db.apiKey.findMany({
    where: { orgId },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      prefix: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
    },
  });
}
