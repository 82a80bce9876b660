import { type TAgentEvent, toStorableEvent } from "@lunar/shared";
import type pg from "pg";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The columns an agent's text and counts land in (host is normalised by the ingest: left out). */
export interface StoredColumns {
  server: string;
  correlation_id: string | null;
  tool: string | null;
  error_type: string | null;
  argument_bytes: number | null;
  path: string | null;
  rule: string | null;
  network_error: string | null;
}

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** Every stored copy of these event ids of one org, by lower-case id. */
export async function storedCopies(
  pool: pg.Pool,
  orgId: string,
  ids: string[],
): Promise<Map<string, StoredColumns[]>> {
  const uuids = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  const copies = new Map<string, StoredColumns[]>();
  if (uuids.length === 0) return copies;
  const { rows } = await pool.query<StoredColumns & { event_id: string }>(
    `SELECT event_id::text, server, correlation_id, tool, error_type, argument_bytes, path, rule,
       network_error
     FROM events WHERE org_id = $1 AND event_id = ANY($2::uuid[])`,
    [orgId, uuids],
  );
  for (const { event_id, ...columns } of rows) {
    copies.set(event_id, [...(copies.get(event_id) ?? []), columns]);
  }
  return copies;
}

/** Which of these event ids of one org are kept in dead_letter_events. */
export async function deadLetterIds(
  pool: pg.Pool,
  orgId: string,
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await pool.query<{ event_id: string }>(
    "SELECT event_id FROM dead_letter_events WHERE org_id = $1 AND event_id = ANY($2::text[])",
    [orgId, ids],
  );
  return new Set(rows.map((row) => row.event_id.toLowerCase()));
}

/** What the row of a valid event must hold: its text made storable, its counts saturated. */
export function expectedColumns(event: TAgentEvent): StoredColumns {
  const storable = toStorableEvent(event);
  const tool = storable.type === "tool_call" ? storable : null;
  const http = storable.type === "http_call" ? storable : null;
  return {
    server: storable.server,
    correlation_id: storable.correlationId,
    tool: tool?.tool ?? null,
    error_type: tool?.errorType ?? null,
    argument_bytes: tool?.argumentBytes ?? null,
    path: http?.path ?? null,
    rule: http?.rule ?? null,
    network_error: http?.networkError ?? null,
  };
}
