import { dropExpiredEventData, ensureEventPartitions } from "@lunar/db/postgres";
import type pg from "pg";
import type pino from "pino";
import type { TGatewayEnv } from "../env";

/** Day partitions a week back and two days ahead exist; partitions past retention are dropped. */
export async function maintainStorage(
  pool: pg.Pool,
  env: TGatewayEnv,
  log: pino.Logger,
): Promise<void> {
  try {
    await ensureEventPartitions(pool, { daysBack: 8, daysAhead: 2 });
    const dropped = await dropExpiredEventData(pool, { retentionDays: env.RETENTION_DAYS });
    if (dropped.length > 0) log.info({ dropped }, "dropped expired event partitions");
  } catch (error) {
    log.warn({ err: error }, "storage maintenance failed; will retry");
  }
}
