import type { Db } from "../client";

/** Sets a provider's status without a flows change (the rule was already in force). */
export async function setProviderStatus(
  db: Db,
  input: { orgId: string; host: string; status: "unknown" | "approved" | "blocked" },
): Promise<boolean> {
  const { count } = await db.provider.updateMany({
    where: { orgId: input.orgId, host: input.host },
    data: { status: input.status },
  });
  return count > 0;
}
