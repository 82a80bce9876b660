import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

// Event rows travel to Postgres by COPY straight into the partitioned `events` table: COPY parses
// far cheaper than a multi-row INSERT with 26 array parameters. COPY cannot skip duplicates (no
// ON CONFLICT), so the caller first asks the dedup ledger which ids are new and COPYs only those.

export const EVENT_COLUMNS = [
  "org_id",
  "event_id",
  "occurred_at",
  "batch_id",
  "agent_id",
  "kind",
  "server",
  "correlation_id",
  "duration_ms",
  "tool",
  "outcome",
  "error_type",
  "argument_bytes",
  "method",
  "scheme",
  "host",
  "port",
  "path",
  "endpoint",
  "status",
  "bytes_in",
  "bytes_out",
  "decision",
  "rule",
  "network_error",
  "inspected",
  "received_at",
  "recheck",
] as const;

/** One CSV field: NULL as an unquoted empty field, everything else quoted when it needs to be. */
export function csv(value: string | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (value === "" || /[",\n\r]/.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

/**
 * COPYs CSV lines (fields in EVENT_COLUMNS order, built by the caller without intermediate
 * arrays: the ingest's hottest loop) into `events`, inside the caller's transaction.
 */
export async function copyEventLines(client: pg.PoolClient, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  const stream = client.query(
    copyFrom(`COPY events (${EVENT_COLUMNS.join(", ")}) FROM STDIN WITH (FORMAT csv)`),
  );
  await new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
    stream.end(`${lines.join("\n")}\n`);
  });
}
