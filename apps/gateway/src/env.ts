import { z } from "zod";

// The one place the gateway reads its environment.
const ZGatewayEnv = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default("127.0.0.1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Days of raw events kept; older partitions are dropped. */
  RETENTION_DAYS: z.coerce.number().int().min(8).max(3650).default(30),
  /** Events queued for writing before the gateway stops reading from agent sockets. */
  INGEST_QUEUE_MAX_EVENTS: z.coerce.number().int().min(1000).default(50_000),
  /** Frame bytes queued for writing before the gateway stops reading from agent sockets. */
  INGEST_QUEUE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(2 * 1024 * 1024)
    .default(64 * 1024 * 1024),
  /** Events written per transaction at most (several agents' batches share one). */
  INGEST_TRANSACTION_MAX_EVENTS: z.coerce.number().int().min(1).default(5_000),
  /** Ingest transactions in flight at once. */
  INGEST_WRITERS: z.coerce.number().int().min(1).max(16).default(2),
  /** Sustained events per second one org may send to one gateway; bursts up to 4 s of it. */
  ORG_EVENTS_PER_SECOND: z.coerce.number().positive().default(20_000),
  /**
   * How long a SIGTERM drain may take (commit and ack what was read). Past it the gateway exits
   * with code 1 anyway: what it had not acked, the agents still hold and resend.
   */
  DRAIN_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  /** How often one-minute rollups are compacted into hourly ones (tests shorten it). */
  ROLLUP_COMPACTION_INTERVAL_MS: z.coerce.number().int().min(500).default(60_000),
});
export type TGatewayEnv = z.infer<typeof ZGatewayEnv>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): TGatewayEnv {
  const parsed = ZGatewayEnv.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
