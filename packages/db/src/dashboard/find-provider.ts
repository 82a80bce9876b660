import type { Db } from "../client";

/** One provider host of an org, or null (another org's host looks exactly like a missing one). */
export function findProvider(db: Db, orgId: string, host: string) {
  return db.provider.findUnique({
    where: { orgId_host: { orgId, host } },
    select: { host: true, domain: true, status: true },
  });
}
