import {
  addToHistogram,
  emptyHistogram,
  providerDomainOf,
  type TAgentEvent,
  type THttpCallEvent,
} from "@lunar/shared";

// The rows of the summary tables (1-minute rollups, providers, endpoints) one ingest transaction
// upserts, aggregated from its events in memory; each list sorted by key, so concurrent
// transactions lock rows in one order.

/** One event of an ingest transaction, with what is worked out about it once. */
export interface Row {
  item: number;
  orgId: string;
  event: TAgentEvent;
  recheck: string | null;
  occurredAt: number;
  /** occurredAt as ISO 8601, and the start of its minute: worked out once per row. */
  occurredAtIso: string;
  minuteIso: string;
  /** Lower-cased, without a trailing dot; "" for tool calls. */
  host: string;
  endpoint: string | null;
  /** `${orgId}/${event.id}`: the dedup key. */
  key: string;
}

function isError(event: TAgentEvent): boolean {
  if (event.type === "tool_call") return event.outcome !== "ok";
  if (event.decision === "blocked") return false;
  return event.networkError !== null || (event.status !== null && event.status >= 400);
}

export function rollupRows(rows: Row[]): Record<string, unknown>[] {
  const rollups = new Map<string, Record<string, unknown> & { histogram: number[] }>();
  for (const row of rows) {
    const event = row.event;
    const bucket = row.minuteIso;
    const host = row.host;
    const method = event.type === "http_call" ? event.method : "";
    const endpoint = event.type === "http_call" ? (row.endpoint as string) : event.tool;
    const key = `${row.orgId}\n${bucket}\n${event.type}\n${event.server}\n${host}\n${method}\n${endpoint}`;
    let rollup = rollups.get(key);
    if (!rollup) {
      rollup = {
        org_id: row.orgId,
        bucket,
        kind: event.type,
        server: event.server,
        host,
        method,
        endpoint,
        count: 0,
        errors: 0,
        blocked: 0,
        duration_sum_ms: 0,
        histogram: emptyHistogram(),
      };
      rollups.set(key, rollup);
    }
    (rollup.count as number)++;
    if (isError(event)) (rollup.errors as number)++;
    if (event.type === "http_call" && event.decision === "blocked") (rollup.blocked as number)++;
    rollup.duration_sum_ms = (rollup.duration_sum_ms as number) + event.durationMs;
    addToHistogram(rollup.histogram, event.durationMs);
  }
  // Sorted so concurrent gateways lock rollup rows in the same order (no deadlocks).
  return [...rollups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, value]) => value);
}

interface SeenSpan {
  /** Earliest and latest occurrence in the transaction (a replayed spool can be days old). */
  first_at: string;
  last_at: string;
}

function widen(span: SeenSpan, at: string): void {
  if (at < span.first_at) span.first_at = at;
  if (at > span.last_at) span.last_at = at;
}

/**
 * One entry per distinct key among a batch's http calls, made from its first row and widened to
 * the batch's earliest and latest sighting; sorted by key.
 */
function spansOf<T extends SeenSpan>(
  rows: Row[],
  keyOf: (row: Row, event: THttpCallEvent) => string,
  make: (row: Row, event: THttpCallEvent, at: string) => T,
): T[] {
  const seen = new Map<string, T>();
  for (const row of rows) {
    const event = row.event;
    if (event.type !== "http_call") continue;
    const key = keyOf(row, event);
    const current = seen.get(key);
    if (current) widen(current, row.occurredAtIso);
    else seen.set(key, make(row, event, row.occurredAtIso));
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, value]) => value);
}

export function providerRows(
  rows: Row[],
): ({ org_id: string; host: string; domain: string } & SeenSpan)[] {
  // The registrable domain (a public-suffix lookup) is worked out once per host per batch.
  return spansOf(
    rows,
    (row) => `${row.orgId}\n${row.host}`,
    (row, _event, at) => ({
      org_id: row.orgId,
      host: row.host,
      domain: providerDomainOf(row.host),
      first_at: at,
      last_at: at,
    }),
  );
}

export function endpointRows(
  rows: Row[],
): ({ org_id: string; host: string; method: string; template: string } & SeenSpan)[] {
  return spansOf(
    rows,
    (row, event) => `${row.orgId}\n${row.host}\n${event.method}\n${row.endpoint}`,
    (row, event, at) => ({
      org_id: row.orgId,
      host: row.host,
      method: event.method,
      template: row.endpoint as string,
      first_at: at,
      last_at: at,
    }),
  );
}
