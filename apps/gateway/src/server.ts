import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { createDb, KEY_REVOKED_CHANNEL } from "@lunar/db";
import { PgListener } from "@lunar/db/listen";
import {
  addAgentDroppedEvents,
  currentFlows,
  dropExpiredEventData,
  EVENTS_CHANNEL,
  ensureEventPartitions,
  FLOWS_CHANNEL,
  ingestEvents,
  insertDeadLetters,
  markAgentDisconnected,
  touchAgents,
  updateAgentServers,
  upsertAgentOnHello,
} from "@lunar/db/postgres";
import {
  AGENT_WS_PATH,
  CLOSE_CODES,
  HEARTBEAT_INTERVAL_MS,
  MAX_FRAME_BYTES,
  toStorableServers,
  toStorableText,
} from "@lunar/shared";
import pg from "pg";
import type pino from "pino";
import { WebSocketServer } from "ws";
import { AgentConnection, type ConnectionHooks } from "./agent/agent-connection";
import { authenticateUpgrade, refuseUpgrade } from "./agent/authenticate-upgrade";
import { ConnectionRegistry } from "./agent/connection-registry";
import { KeyedSerial } from "./agent/keyed-serial";
import type { TGatewayEnv } from "./env";
import { OrgFlowsCache } from "./flows/org-flows-cache";
import { recheckEvents } from "./flows/recheck-events";
import { createHealthHandler } from "./http/health-routes";
import { IngestQueue } from "./ingest/ingest-queue";
import { OrgRateLimiter } from "./ingest/org-rate-limiter";
import { startRollupCompaction } from "./maintenance/rollup-compaction";
import { createMetrics, type GatewayMetrics } from "./metrics";

export interface RunningGateway {
  server: Server;
  port: number;
  registry: ConnectionRegistry;
  metrics: GatewayMetrics;
  /** Stop accepting, stop reading, commit and ack what is queued, close agents with 1001. */
  drainAndClose(): Promise<void>;
  close(): Promise<void>;
}

const MAINTENANCE_INTERVAL_MS = 60 * 60 * 1000;

export async function startGateway(env: TGatewayEnv, log: pino.Logger): Promise<RunningGateway> {
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 10 });
  pool.on("error", (error) => log.warn({ err: error }, "idle Postgres connection failed"));
  const db = createDb(env.DATABASE_URL);
  const metrics = createMetrics();
  const registry = new ConnectionRegistry();
  const limiter = new OrgRateLimiter(env.ORG_EVENTS_PER_SECOND);
  const queue = new IngestQueue(
    (items) => ingestEvents(pool, items),
    (letters) => insertDeadLetters(pool, letters),
    {
      concurrency: env.INGEST_WRITERS,
      maxQueuedEvents: env.INGEST_QUEUE_MAX_EVENTS,
      maxQueuedBytes: env.INGEST_QUEUE_MAX_BYTES,
      maxEventsPerTransaction: env.INGEST_TRANSACTION_MAX_EVENTS,
      log,
      metrics,
      ensurePartitions: () => maintainStorage(pool, env, log),
    },
  );
  // An agent's row is written by its hellos and disconnects in the order they happened here, so
  // a connection replaced in a race can never be left named on the row (agents.connection_id).
  const agentRows = new KeyedSerial();
  const agentKey = (orgId: string, agentId: string) => `${orgId}/${agentId}`;

  await maintainStorage(pool, env, log);
  const maintenance = setInterval(
    () => void maintainStorage(pool, env, log),
    MAINTENANCE_INTERVAL_MS,
  );
  // Hourly rollups, every minute and off the ingest path (packages/db compact-rollups.ts).
  const compaction = startRollupCompaction(pool, log, env.ROLLUP_COMPACTION_INTERVAL_MS);

  const orgFlows = new OrgFlowsCache(pool);
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
  const listener = new PgListener(
    env.DATABASE_URL,
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
  await listener.start();

  const hooks: ConnectionHooks = {
    async onHello(connection, hello) {
      for (const previous of registry.byAgent(connection.orgId, hello.agentId)) {
        if (previous !== connection)
          previous.close(CLOSE_CODES.replaced, "a newer connection of this agent took over");
      }
      await agentRows.run(agentKey(connection.orgId, hello.agentId), async () => {
        // Replaced before its turn came: the newer connection's hello writes the row.
        if (connection.isClosed) return;
        await upsertAgentOnHello(pool, {
          orgId: connection.orgId,
          agentId: hello.agentId,
          apiKeyId: connection.keyId,
          name: toStorableText(hello.name, 128),
          version: toStorableText(hello.version, 64),
          servers: toStorableServers(hello.servers),
          flowsVersion: hello.flowsVersion,
          connectionId: connection.id,
        });
      });
      connection.counted = true;
      metrics.connectedAgents.inc();
      // Loaded now, so the re-check of this agent's first batch has the org's flows at hand.
      await orgFlows.get(connection.orgId).catch(() => null);
    },
    async onReady(connection) {
      const flows = await currentFlows(pool, connection.orgId);
      connection.send({
        type: "flows",
        version: flows.version,
        reason: "snapshot",
        document: flows.document,
      });
    },
    onEvents(connection, events, bytes) {
      // Synchronous up to the enqueue: a SIGTERM drain must find every read batch queued.
      const rechecks = recheckEvents(orgFlows.peek(connection.orgId), events);
      const disagreements = rechecks.filter((r) => r === "disagree").length;
      if (disagreements > 0) {
        metrics.recheckDisagreements.inc(disagreements);
        log.warn(
          { orgId: connection.orgId, agentId: connection.agentId, disagreements },
          "agent decisions disagree with current flows",
        );
      }
      return queue.enqueue(
        { orgId: connection.orgId, agentId: connection.agentId as string, events, rechecks },
        bytes,
      );
    },
    onServers: (connection, servers) =>
      updateAgentServers(pool, {
        orgId: connection.orgId,
        agentId: connection.agentId as string,
        servers: toStorableServers(servers),
      }),
    onFlowsApplied(connection, version) {
      void pool
        .query("UPDATE agents SET flows_version = $3 WHERE org_id = $1 AND id = $2", [
          connection.orgId,
          connection.agentId,
          version,
        ])
        .catch((error) => log.warn({ err: error }, "could not record applied flows"));
    },
    onSpoolDropped(connection, count) {
      metrics.eventsDroppedByAgents.inc(count);
      void addAgentDroppedEvents(pool, {
        orgId: connection.orgId,
        agentId: connection.agentId as string,
        count,
      }).catch((error) => log.warn({ err: error }, "could not record dropped events"));
    },
    onClose(connection) {
      registry.remove(connection);
      const agentId = connection.agentId;
      if (agentId === null) return;
      if (connection.counted) metrics.connectedAgents.dec();
      void agentRows
        .run(agentKey(connection.orgId, agentId), () =>
          markAgentDisconnected(pool, {
            orgId: connection.orgId,
            agentId,
            connectionId: connection.id,
          }),
        )
        .catch((error) => log.warn({ err: error }, "could not mark agent disconnected"));
    },
    throttle: (orgId, count) => limiter.take(orgId, count),
    queueFull: () => queue.isFull,
    whenQueueHasSpace: () => queue.whenSpace(),
  };

  const heartbeat = setInterval(() => {
    const agents = registry
      .list()
      .filter((c) => c.agentId !== null)
      .map((c) => ({ orgId: c.orgId, agentId: c.agentId as string }));
    void touchAgents(pool, agents).catch((error) =>
      log.warn({ err: error }, "agent heartbeat write failed"),
    );
  }, HEARTBEAT_INTERVAL_MS);

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
  });
  const health = createHealthHandler(pool);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    handleRequest(req, res).catch((error: unknown) => {
      metrics.requestFaults.inc();
      log.error({ err: error, url: req.url?.slice(0, 200) }, "HTTP request handler failed");
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/problem+json" });
        res.end(JSON.stringify({ title: "Internal Server Error", status: 500, code: "internal" }));
      } else res.destroy();
    });
  });
  const handleRequest = async (req: IncomingMessage, res: ServerResponse) => {
    if (await health(req, res)) return;
    if (req.url === "/metrics") {
      const body = await metrics.registry.metrics();
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      res.end(body);
      return;
    }
    res.writeHead(404, { "content-type": "application/problem+json" });
    res.end(JSON.stringify({ title: "Not Found", status: 404, code: "not_found" }));
  };
  let accepting = true;
  server.on("upgrade", (req, socket, head) => {
    socket.on("error", () => socket.destroy());
    handleUpgrade(req, socket, head).catch((error: unknown) => {
      metrics.requestFaults.inc();
      log.error({ err: error }, "agent upgrade failed");
      if (socket.writable) refuseUpgrade(socket, 503, "The gateway could not take the connection");
      else socket.destroy();
    });
  });
  const handleUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = pathOf(req.url);
    if (path !== AGENT_WS_PATH)
      return refuseUpgrade(socket, 404, `Agents connect to ${AGENT_WS_PATH}`);
    if (!accepting) return refuseUpgrade(socket, 503, "The gateway is shutting down");
    let auth: Awaited<ReturnType<typeof authenticateUpgrade>>;
    try {
      auth = await authenticateUpgrade(db, req);
    } catch (error) {
      log.warn({ err: error }, "API key check failed");
      return refuseUpgrade(socket, 503, "Could not check the API key; try again");
    }
    if (typeof auth === "string") return refuseUpgrade(socket, 401, auth);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new AgentConnection(ws, auth.orgId, auth.keyId, hooks, log, metrics);
      registry.add(connection);
    });
  };

  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOST, resolve));
  const { port } = server.address() as AddressInfo;
  log.info({ host: env.HOST, port }, "gateway listening");

  const stopTimers = () => {
    clearInterval(maintenance);
    clearInterval(heartbeat);
  };
  const release = async () => {
    await compaction.stop();
    await listener.stop();
    await pool.end();
    await db.$disconnect();
  };
  return {
    server,
    port,
    registry,
    metrics,
    async drainAndClose() {
      accepting = false;
      stopTimers();
      for (const connection of registry.list()) connection.stopAccepting();
      await queue.drained();
      const connections = registry.list();
      // Committed is not enough: the acks must be on the wire before the close frame.
      await Promise.all(connections.map((connection) => connection.whenAcked()));
      for (const connection of connections)
        connection.close(CLOSE_CODES.goingAway, "gateway shutting down");
      await Promise.all(connections.map((connection) => connection.whenClosed));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await release();
    },
    async close() {
      accepting = false;
      stopTimers();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await release();
    },
  };
}

/** The path of a request target; a target no URL parser accepts has none. */
function pathOf(target: string | undefined): string | null {
  try {
    return new URL(target ?? "/", "http://gateway").pathname;
  } catch {
    return null;
  }
}

async function maintainStorage(pool: pg.Pool, env: TGatewayEnv, log: pino.Logger): Promise<void> {
  try {
    await ensureEventPartitions(pool, { daysBack: 8, daysAhead: 2 });
    const dropped = await dropExpiredEventData(pool, { retentionDays: env.RETENTION_DAYS });
    if (dropped.length > 0) log.info({ dropped }, "dropped expired event partitions");
  } catch (error) {
    log.warn({ err: error }, "storage maintenance failed; will retry");
  }
}

export { EVENTS_CHANNEL };
