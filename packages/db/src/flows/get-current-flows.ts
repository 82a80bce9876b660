import type { Db } from "../client";

export interface CurrentFlowsVersion {
  /** 0 when the org has never saved flows (visibility mode). */
  version: number;
  /** The stored plain document (Lunar's shape, docs/FLOWS.md); null for version 0. */
  document: unknown | null;
  /** The YAML it was saved as, comments kept; null if published as a document only. */
  source: string | null;
}

/** The flows in force for an org, read through Prisma (the twin of `currentFlows`). */
export async function getCurrentFlows(db: Db, orgId: string): Promise<CurrentFlowsVersion> {
  const row = await db.flowVersion.findFirst({
    where: { orgId },
    orderBy: { version: "desc" },
    select: { version: true, document: true, source: true },
  });
  return row
    ? { version: row.version, document: row.document, source: row.source }
    : { version: 0, document: null, source: null };
}
