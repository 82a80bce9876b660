import type pg from "pg";
import { withTransaction } from "../postgres/with-transaction";

export const FLOWS_CHANNEL = "lunar_flows_changed";

export interface CurrentFlows {
  version: number;
  document: unknown | null;
}

/** The flows in force for an org: the highest version, or version 0 (visibility mode). */
export async function currentFlows(pool: pg.Pool, orgId: string): Promise<CurrentFlows> {
  const { rows } = await pool.query<{ version: number; document: unknown }>(
    "SELECT version, document FROM flow_versions WHERE org_id = $1 ORDER BY version DESC LIMIT 1",
    [orgId],
  );
  const row = rows[0];
  return row ? { version: row.version, document: row.document } : { version: 0, document: null };
}

/**
 * Stores a new version of an org's flows and tells every gateway (NOTIFY, delivered on commit),
 * which pushes it to the org's connected agents. Concurrent publishes get distinct versions:
 * the loser of a race on the primary key retries with the next number.
 */
export async function publishFlows(
  pool: pg.Pool,
  input: { orgId: string; document: unknown; createdById: string | null },
): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await withTransaction(pool, async (client) => {
        const { rows } = await client.query<{ version: number }>(
          `INSERT INTO flow_versions (org_id, version, document, created_by_id)
           SELECT $1, coalesce(max(version), 0) + 1, $2::json, $3 FROM flow_versions WHERE org_id = $1
           RETURNING version`,
          [input.orgId, JSON.stringify(input.document), input.createdById],
        );
        const version = rows[0]?.version as number;
        await client.query("SELECT pg_notify($1, $2)", [
          FLOWS_CHANNEL,
          JSON.stringify({ orgId: input.orgId, version }),
        ]);
        return version;
      });
    } catch (error) {
      if ((error as { code?: string }).code !== "23505" || attempt >= 5) throw error;
    }
  }
}
