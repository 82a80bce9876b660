import { KEY_REVOKED_CHANNEL } from "@lunar/db";
import { PgListener } from "@lunar/db/listen";
import { currentFlows, FLOWS_CHANNEL } from "@lunar/db/postgres";
import { CLOSE_CODES } from "@lunar/shared";
import type pg from "pg";
import type pino from "pino";
import type { ConnectionRegistry } from "../agent/connection-registry";
import type { OrgFlowsCache } from "./org-flows-cache";

/**
 * The listener that pushes an org's flows to its connected agents when they change and closes
 * the connections of a revoked key (both within a second, from Postgres NOTIFY), and that looks
 * again at both after it reconnects. Call `start()` on what it returns.
 */
export function createFlowsDistribution(deps: {
  pool: pg.Pool;
  databaseUrl: string;
  registry: ConnectionRegistry;
  orgFlows: OrgFlowsCache;
  log: pino.Logger;
}): PgListener {
  const { pool, databaseUrl, registry, orgFlows, log } = deps;
  const pushFlows = async (orgId: string) => {
    orgFlows.invalidate(orgId);
    const connections = registry.byOrg(orgId);
    if (connections.length === 0) return;
    const flows = await currentFlows(pool, orgId);
    for (const connection of connections) {
      connection.send({
        type: "flows",
        version: flows.version,
        reason: "update",
        document: flows.document,
      });
    }
  };
  const closeRevoked = (keyId: string) => {
    for (const connection of registry.byKey(keyId))
      connection.close(CLOSE_CODES.keyRevoked, "API key revoked");
  };
  const recheckAfterReconnect = async () => {
    // NOTIFYs sent while we were not listening are lost: look again at what they could have said.
    const keyIds = [...new Set(registry.list().map((c) => c.keyId))];
    const { rows } = await pool.query<{ id: string }>(
      "SELECT id FROM api_keys WHERE id = ANY($1::uuid[]) AND revoked_at IS NOT NULL",
      [keyIds],
    );
    for (const row of rows) closeRevoked(row.id);
    for (const orgId of new Set(registry.list().map((c) => c.orgId))) await pushFlows(orgId);
  };
  return new PgListener(
    databaseUrl,
    {
      [KEY_REVOKED_CHANNEL]: closeRevoked,
      [FLOWS_CHANNEL]: (payload) => {
        const { orgId } = JSON.parse(payload) as { orgId: string };
        void pushFlows(orgId).catch((error) => log.warn({ err: error }, "flows push failed"));
      },
    },
    log,
    () => void recheckAfterReconnect().catch((error) => log.warn({ err: error }, "recheck failed")),
  );
}
