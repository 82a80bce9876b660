import type pg from "pg";

export interface AgentHello {
  orgId: string;
  agentId: string;
  apiKeyId: string;
  name: string;
  version: string;
  servers: unknown[];
  flowsVersion: number | null;
  connectionId: string;
}

/** Records a connected agent (first sight or reconnect) with the connection now serving it. */
export async function upsertAgentOnHello(pool: pg.Pool, hello: AgentHello): Promise<void> {
  await pool.query(
    `INSERT INTO agents (org_id, id, name, version, servers, api_key_id, connection_id, flows_version)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)
     ON CONFLICT (org_id, id) DO UPDATE SET name = EXCLUDED.name, version = EXCLUDED.version,
       servers = EXCLUDED.servers, api_key_id = EXCLUDED.api_key_id,
       connection_id = EXCLUDED.connection_id, flows_version = EXCLUDED.flows_version,
       last_seen_at = now()`,
    [
      hello.orgId,
      hello.agentId,
      hello.name,
      hello.version,
      JSON.stringify(hello.servers),
      hello.apiKeyId,
      hello.connectionId,
      hello.flowsVersion,
    ],
  );
}

export async function updateAgentServers(
  pool: pg.Pool,
  input: { orgId: string; agentId: string; servers: unknown[] },
): Promise<void> {
  await pool.query(
    "UPDATE agents SET servers = $3::jsonb, last_seen_at = now() WHERE org_id = $1 AND id = $2",
    [input.orgId, input.agentId, JSON.stringify(input.servers)],
  );
}

/** Adds events the agent's spool dropped (capped at INTEGER's maximum rather than failing). */
export async function addAgentDroppedEvents(
  pool: pg.Pool,
  input: { orgId: string; agentId: string; count: number },
): Promise<void> {
  await pool.query(
    `UPDATE agents SET dropped_events = LEAST(dropped_events::bigint + $3, 2147483647)::int
     WHERE org_id = $1 AND id = $2`,
    [input.orgId, input.agentId, input.count],
  );
}

/** Heartbeat for many connections at once: one statement, whatever the number of agents. */
export async function touchAgents(
  pool: pg.Pool,
  agents: { orgId: string; agentId: string }[],
): Promise<void> {
  if (agents.length === 0) return;
  await pool.query(
    `UPDATE agents a SET last_seen_at = now()
     FROM unnest($1::uuid[], $2::uuid[]) AS t(org_id, id)
     WHERE a.org_id = t.org_id AND a.id = t.id`,
    [agents.map((a) => a.orgId), agents.map((a) => a.agentId)],
  );
}

/** Only clears the connection if it is still this one (a newer connection may have taken over). */
export async function markAgentDisconnected(
  pool: pg.Pool,
  input: { orgId: string; agentId: string; connectionId: string },
): Promise<void> {
  await pool.query(
    `UPDATE agents SET connection_id = NULL, last_seen_at = now()
     WHERE org_id = $1 AND id = $2 AND connection_id = $3`,
    [input.orgId, input.agentId, input.connectionId],
  );
}
