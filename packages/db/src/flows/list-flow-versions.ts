import type { Db } from "../client";

export interface FlowVersionRow {
  version: number;
  author: string | null;
  createdAt: Date;
}

/** An org's flows versions, newest first, with the email of the user who saved each. */
export async function listFlowVersions(
  db: Db,
  orgId: string,
  limit = 100,
): Promise<FlowVersionRow[]> {
  const rows = await db.flowVersion.findMany({
    where: { orgId },
    orderBy: { version: "desc" },
    take: limit,
    select: { version: true, createdAt: true, createdBy: { select: { email: true } } },
  });
  return rows.map((row) => ({
    version: row.version,
    author: row.createdBy?.email ?? null,
    createdAt: row.createdAt,
  }));
}
