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

export type CopyValue = string | number | boolean | null;

/** One CSV field: NULL as an unquoted empty field, everything else quoted when it needs to be. */
function csvField(value: CopyValue): string {
  if (value === null) return "";
  if (typeof value !== "string") return String(value);
  if (value === "" || /[",\n\r]/.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

/** COPYs rows (values in EVENT_COLUMNS order) into `events`, inside the caller's transaction. */
export async function copyEvents(client: pg.PoolClient, rows: CopyValue[][]): Promise<void> {
  if (rows.length === 0) return;
  const stream = client.query(
    copyFrom(`COPY events (${EVENT_COLUMNS.join(", ")}) FROM STDIN WITH (FORMAT csv)`),
  );
  const body = rows.map((row) => row.map(csvField).join(",")).join("\n");
  await new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
    stream.end(`${body}\n`);
  });
}
