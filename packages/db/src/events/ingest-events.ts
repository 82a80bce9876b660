import { randomUUID } from "node:crypto";
import { endpointTemplateOf, type TAgentEvent } from "@lunar/shared";
import type pg from "pg";
import { EVENTS_CHANNEL } from "../notifications/channels";
import { withTransaction } from "../postgres/with-transaction";
import { clampOccurredAt } from "./clamp-occurred-at";
import { copyEventLines, csv } from "./copy-events";
import { lateRollupCutoff } from "./rollup-hours";
import { endpointRows, providerRows, type Row, rollupRows } from "./summary-rows";

export const ENDPOINTS_PER_HOST_CAP = 200;
/** Where endpoints of a host past the cap are counted. */
export const OVERFLOW_ENDPOINT = "{other}";

export interface IngestItem {
  orgId: string;
  agentId: string;
  events: TAgentEvent[];
  /** The gateway's re-check of each event against current flows, by index (null: none). */
  rechecks?: (string | null)[];
}

export interface IngestItemResult {
  batchId: string;
  stored: number;
  duplicates: number;
}

export interface IngestOutcome {
  results: IngestItemResult[];
  /** Hosts an org had never seen before this transaction: flagged unknown. */
  newHosts: { orgId: string; host: string }[];
}

/**
 * Stores several agents' event batches in one transaction: dedup through the event_ids ledger,
 * multi-row insert into the partitioned events table, rollups, providers and endpoints kept
 * current, and a NOTIFY per batch for live logs (delivered by Postgres only on commit).
 */
export async function ingestEvents(pool: pg.Pool, items: IngestItem[]): Promise<IngestOutcome> {
  const receivedAt = Date.now();
  const results: IngestItemResult[] = items.map(() => ({
    batchId: randomUUID(),
    stored: 0,
    duplicates: 0,
  }));
  const rows = uniqueRows(items, receivedAt, results);
  return withTransaction(pool, async (client) => {
    await capEndpoints(client, rows);
    const fresh = await insertEvents(client, rows, items, results, receivedAt);
    const freshRows = rows.filter((row) => fresh.has(row.key));
    for (const row of rows) {
      const result = results[row.item] as IngestItemResult;
      if (fresh.has(row.key)) result.stored++;
      else result.duplicates++;
    }
    const newHosts = await upsertSummaries(client, freshRows);
    await notifyBatches(client, items, results, freshRows);
    return { results, newHosts };
  });
}

/** One row per (org, event id): a second copy in the same transaction is a duplicate. */
function uniqueRows(items: IngestItem[], receivedAt: number, results: IngestItemResult[]): Row[] {
  const seen = new Set<string>();
  const rows: Row[] = [];
  // Batches repeat the same paths, hosts and minutes: each is worked out once per transaction.
  const templates = new Map<string, string>();
  const hosts = new Map<string, string>();
  const minutes = new Map<number, string>();
  items.forEach((item, index) => {
    item.events.forEach((event, position) => {
      const key = `${item.orgId}/${event.id}`;
      if (seen.has(key)) {
        (results[index] as IngestItemResult).duplicates++;
        return;
      }
      seen.add(key);
      let endpoint: string | null = null;
      let host = "";
      if (event.type === "http_call") {
        endpoint = templates.get(event.path) ?? null;
        if (endpoint === null) {
          endpoint = endpointTemplateOf(event.path);
          templates.set(event.path, endpoint);
        }
        host = hosts.get(event.host) ?? "";
        if (host === "") {
          host = event.host.toLowerCase().replace(/\.$/, "");
          hosts.set(event.host, host);
        }
      }
      const occurredAt = clampOccurredAt(event.ts, receivedAt);
      const minute = Math.floor(occurredAt / 60_000);
      let minuteIso = minutes.get(minute);
      if (minuteIso === undefined) {
        minuteIso = new Date(minute * 60_000).toISOString();
        minutes.set(minute, minuteIso);
      }
      rows.push({
        item: index,
        orgId: item.orgId,
        event,
        recheck: item.rechecks?.[position] ?? null,
        occurredAt,
        occurredAtIso: new Date(occurredAt).toISOString(),
        minuteIso,
        host,
        endpoint,
        key,
      });
    });
  });
  return rows;
}

/** Past the per-host cap, new endpoints of a host are counted under {other}. */
async function capEndpoints(client: pg.PoolClient, rows: Row[]): Promise<void> {
  const http = rows.filter((row) => row.event.type === "http_call");
  if (http.length === 0) return;
  const pairs = [...new Set(http.map((row) => `${row.orgId}\n${row.host}`))];
  const { rows: existing } = await client.query<{
    org_id: string;
    host: string;
    method: string;
    template: string;
  }>(
    `SELECT e.org_id, e.host, e.method, e.template FROM endpoints e
     JOIN unnest($1::uuid[], $2::text[]) AS h(org_id, host) USING (org_id, host)`,
    [pairs.map((pair) => pair.split("\n")[0]), pairs.map((pair) => pair.split("\n")[1])],
  );
  const known = new Set(existing.map((e) => `${e.org_id}\n${e.host}\n${e.method}\n${e.template}`));
  const perHost = new Map<string, number>();
  for (const e of existing)
    perHost.set(`${e.org_id}\n${e.host}`, (perHost.get(`${e.org_id}\n${e.host}`) ?? 0) + 1);
  for (const row of http) {
    const event = row.event as Extract<TAgentEvent, { type: "http_call" }>;
    const hostKey = `${row.orgId}\n${row.host}`;
    const key = `${hostKey}\n${event.method}\n${row.endpoint}`;
    if (known.has(key)) continue;
    const count = perHost.get(hostKey) ?? 0;
    if (count >= ENDPOINTS_PER_HOST_CAP) {
      row.endpoint = OVERFLOW_ENDPOINT;
    } else {
      known.add(key);
      perHost.set(hostKey, count + 1);
    }
  }
}

/** Ledger first (which ids are new), then COPY of only the new events: exactly once, no staging. */
async function insertEvents(
  client: pg.PoolClient,
  rows: Row[],
  items: IngestItem[],
  results: IngestItemResult[],
  receivedAt: number,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const received = new Date(receivedAt).toISOString();
  // Only the positions of duplicates come back (almost always none), not every new id.
  const { rows: duplicates } = await client.query<{ n: number }>(
    `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS t(org_id, event_id, n)
     ), inserted AS (
       INSERT INTO event_ids (org_id, event_id, received_at)
       SELECT org_id, event_id, $3 FROM input
       -- One lock order for every transaction: two writers holding the same ids cannot deadlock.
       ORDER BY org_id, event_id
       ON CONFLICT DO NOTHING
       RETURNING org_id, event_id
     )
     SELECT n::int - 1 AS n FROM input
     WHERE (SELECT count(*) FROM inserted) < $4
       AND NOT EXISTS (
         SELECT 1 FROM inserted i WHERE i.org_id = input.org_id AND i.event_id = input.event_id)`,
    [rows.map((row) => row.orgId), rows.map((row) => row.event.id), received, rows.length],
  );
  const duplicate = new Set(duplicates.map((row) => (rows[row.n] as Row).key));
  const fresh = new Set(rows.filter((row) => !duplicate.has(row.key)).map((row) => row.key));
  const lines: string[] = [];
  for (const row of rows) {
    if (!fresh.has(row.key)) continue;
    const event = row.event;
    const batchId = (results[row.item] as IngestItemResult).batchId;
    const agentId = (items[row.item] as IngestItem).agentId;
    // Ids, enums and numbers are validated and never need quoting; free text goes through csv().
    const head = `${row.orgId},${event.id},${row.occurredAtIso},${batchId},${agentId},${event.type},${csv(event.server)},${csv(event.correlationId)},${event.durationMs}`;
    const tail = `${received},${csv(row.recheck)}`;
    if (event.type === "tool_call") {
      lines.push(
        `${head},${csv(event.tool)},${event.outcome},${csv(event.errorType)},${event.argumentBytes},,,,,,,,,,,,,,${tail}`,
      );
    } else {
      lines.push(
        `${head},,,,,${event.method},${event.scheme},${csv(row.host)},${event.port},${csv(event.path)},${csv(row.endpoint)},${event.status ?? ""},${event.bytesIn},${event.bytesOut},${event.decision},${csv(event.rule)},${csv(event.networkError)},${event.inspected},${tail}`,
      );
    }
  }
  await copyEventLines(client, lines);
  return fresh;
}

/**
 * Rollups, providers and endpoints in one statement (one round trip per transaction: the ingest
 * is latency-bound). Every data-modifying CTE runs whether or not it is read. Returns the hosts
 * the org had never seen.
 */
async function upsertSummaries(
  client: pg.PoolClient,
  rows: Row[],
): Promise<{ orgId: string; host: string }[]> {
  if (rows.length === 0) return [];
  const { rows: providers } = await client.query<{
    org_id: string;
    host: string;
    inserted: boolean;
  }>(
    `WITH rollups AS (
       INSERT INTO rollups_1m AS r (org_id, bucket, kind, server, host, method, endpoint, count,
         errors, blocked, duration_sum_ms, histogram)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(org_id uuid, bucket timestamptz,
         kind event_kind, server text, host text, method text, endpoint text, count int,
         errors int, blocked int, duration_sum_ms float8, histogram int[])
       ON CONFLICT (org_id, bucket, kind, server, host, method, endpoint) DO UPDATE SET
         count = r.count + EXCLUDED.count,
         errors = r.errors + EXCLUDED.errors,
         blocked = r.blocked + EXCLUDED.blocked,
         duration_sum_ms = r.duration_sum_ms + EXCLUDED.duration_sum_ms,
         histogram = ARRAY(
           SELECT coalesce(a, 0) + coalesce(b, 0)
           FROM unnest(r.histogram, EXCLUDED.histogram) WITH ORDINALITY AS h(a, b, n) ORDER BY n)
       RETURNING 1
     ), late_hours AS (
       -- Minutes older than the compaction's sliding window mark their hour for recompute
       -- (compact-rollups.ts); in steady state this writes nothing. An existing marker is
       -- updated, not skipped: its row lock holds off a compaction until this commits.
       INSERT INTO rollup_dirty_hours (org_id, hour)
       SELECT DISTINCT org_id, date_trunc('hour', bucket, 'UTC')
       FROM jsonb_to_recordset($1::jsonb) AS t(org_id uuid, bucket timestamptz)
       WHERE bucket < $4::timestamptz
       ORDER BY 1, 2
       ON CONFLICT (org_id, hour) DO UPDATE SET marked_at = EXCLUDED.marked_at
       RETURNING 1
     ), endpoints AS (
       INSERT INTO endpoints AS e (org_id, host, method, template, first_seen_at, last_seen_at)
       SELECT org_id, host, method, template, first_at, last_at
       FROM jsonb_to_recordset($3::jsonb)
         AS t(org_id uuid, host text, method text, template text, first_at timestamptz,
           last_at timestamptz)
       ON CONFLICT (org_id, host, method, template) DO UPDATE SET
         first_seen_at = LEAST(e.first_seen_at, EXCLUDED.first_seen_at),
         last_seen_at = GREATEST(e.last_seen_at, EXCLUDED.last_seen_at)
       RETURNING 1
     ), providers AS (
       INSERT INTO providers AS p (org_id, host, domain, first_seen_at, last_seen_at)
       SELECT org_id, host, domain, first_at, last_at
       FROM jsonb_to_recordset($2::jsonb)
         AS t(org_id uuid, host text, domain text, first_at timestamptz, last_at timestamptz)
       ON CONFLICT (org_id, host) DO UPDATE SET
         first_seen_at = LEAST(p.first_seen_at, EXCLUDED.first_seen_at),
         last_seen_at = GREATEST(p.last_seen_at, EXCLUDED.last_seen_at)
       RETURNING org_id, host, (xmax = 0) AS inserted
     )
     SELECT org_id, host, inserted FROM providers`,
    [
      JSON.stringify(rollupRows(rows)),
      JSON.stringify(providerRows(rows)),
      JSON.stringify(endpointRows(rows)),
      lateRollupCutoff(Date.now()),
    ],
  );
  return providers
    .filter((row) => row.inserted)
    .map((row) => ({ orgId: row.org_id, host: row.host }));
}

/** Live logs: a compact reference per batch (NOTIFY payloads must stay under 8,000 bytes). */
async function notifyBatches(
  client: pg.PoolClient,
  items: IngestItem[],
  results: IngestItemResult[],
  freshRows: Row[],
): Promise<void> {
  const range = new Map<number, { from: number; to: number }>();
  for (const row of freshRows) {
    const current = range.get(row.item);
    range.set(row.item, {
      from: Math.min(current?.from ?? row.occurredAt, row.occurredAt),
      to: Math.max(current?.to ?? row.occurredAt, row.occurredAt),
    });
  }
  const payloads = [...range.entries()].map(([index, { from, to }]) =>
    JSON.stringify({
      orgId: (items[index] as IngestItem).orgId,
      batchId: (results[index] as IngestItemResult).batchId,
      count: (results[index] as IngestItemResult).stored,
      from,
      to,
    }),
  );
  if (payloads.length === 0) return;
  await client.query("SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload", [
    EVENTS_CHANNEL,
    payloads,
  ]);
}
