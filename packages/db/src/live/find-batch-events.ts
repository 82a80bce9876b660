import type { TLiveEvent } from "@lunar/shared";
import type { Db } from "../client";
import { toLiveEvent } from "./to-live-event";

/** A batch's events, found the way NOTIFY names it: org and time range (the key), then batch id. */
export async function findBatchEvents(
  db: Db,
  ref: { orgId: string; batchId: string; from: number; to: number },
  limit = 1_000,
): Promise<TLiveEvent[]> {
  const rows = await db.event.findMany({
    where: {
      orgId: ref.orgId,
      occurredAt: { gte: new Date(ref.from), lte: new Date(ref.to) },
      batchId: ref.batchId,
    },
    orderBy: { occurredAt: "asc" },
    take: limit,
  });
  return rows.map(toLiveEvent);
}
