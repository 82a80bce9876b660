import { randomUUID } from "node:crypto";
import { endpointTemplateOf, type TAgentEvent } from "@lunar/shared";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

const COLUMNS =
  "org_id, event_id, occurred_at, received_at, batch_id, agent_id, kind, server, correlation_id, duration_ms, method, scheme, host, port, path, endpoint, status, bytes_in, bytes_out, decision, inspected";

/**
 * The raw rate to beat: the same events COPY'd straight into the same table, 5,000 rows per
 * COPY (no dedup, no rollups, no acks). Returns rows per second.
 */
export async function copyBaseline(
  pool: pg.Pool,
  orgId: string,
  events: TAgentEvent[],
): Promise<number> {
  const agentId = randomUUID();
  const client = await pool.connect();
  const started = performance.now();
  try {
    for (let i = 0; i < events.length; i += 5_000) {
      const batchId = randomUUID();
      const received = new Date().toISOString();
      const lines = events.slice(i, i + 5_000).map((event) => {
        if (event.type !== "http_call") throw new Error("baseline expects http_call events");
        return [
          orgId,
          event.id,
          new Date(event.ts).toISOString(),
          received,
          batchId,
          agentId,
          "http_call",
          event.server,
          event.correlationId,
          event.durationMs,
          event.method,
          event.scheme,
          event.host,
          event.port,
          event.path,
          endpointTemplateOf(event.path),
          event.status,
          event.bytesIn,
          event.bytesOut,
          event.decision,
          event.inspected,
        ].join(",");
      });
      const stream = client.query(
        copyFrom(`COPY events (${COLUMNS}) FROM STDIN WITH (FORMAT csv)`),
      );
      await new Promise<void>((resolve, reject) => {
        stream.on("finish", resolve);
        stream.on("error", reject);
        stream.end(`${lines.join("\n")}\n`);
      });
    }
  } finally {
    client.release();
  }
  return events.length / ((performance.now() - started) / 1000);
}
