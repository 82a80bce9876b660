import type { Db } from "../client";
import { FLOWS_CHANNEL } from "./flow-versions";

export type PublishFlowsResult =
  | { ok: true; version: number }
  /** Another version was saved since `expectedVersion`: nothing was written. */
  | { ok: false; currentVersion: number };

/**
 * Prisma twin of `publishFlows`: stores version `expectedVersion + 1` of an org's flows and
 * NOTIFYs the gateways (delivered on commit), which push it to the org's agents. Optimistic: if
 * any version above `expectedVersion` exists, nothing is written and the caller decides whether
 * to re-read and retry. `providerStatus` is set in the same transaction (approve / block).
 */
export async function publishFlowsVersion(
  db: Db,
  input: {
    orgId: string;
    document: unknown;
    /** The YAML the document was read from, comments and all (shown back in the editor). */
    source?: string | null;
    createdById: string | null;
    expectedVersion: number;
    providerStatus?: { host: string; status: "approved" | "blocked" };
  },
): Promise<PublishFlowsResult> {
  // ::json, not ::jsonb: a jsonb cast on the way in would reorder the document's keys.
  return db.$transaction(async (tx) => {
    const next = input.expectedVersion + 1;
    const inserted = await tx.$queryRaw<{ version: number }[]>`
      INSERT INTO flow_versions (org_id, version, document, source, created_by_id)
      VALUES (${input.orgId}::uuid, ${next}, ${JSON.stringify(input.document)}::json,
              ${input.source ?? null}, ${input.createdById}::uuid)
      ON CONFLICT (org_id, version) DO NOTHING
      RETURNING version`;
    if (inserted.length === 0) {
      const latest = await tx.flowVersion.aggregate({
        where: { orgId: input.orgId },
        _max: { version: true },
      });
      return { ok: false, currentVersion: latest._max.version ?? 0 };
    }
    if (input.providerStatus) {
      await tx.provider.updateMany({
        where: { orgId: input.orgId, host: input.providerStatus.host },
        data: { status: input.providerStatus.status },
      });
    }
    const payload = JSON.stringify({ orgId: input.orgId, version: next });
    await tx.$executeRaw`SELECT pg_notify(${FLOWS_CHANNEL}, ${payload})`;
    return { ok: true, version: next };
  });
}
