import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDb } from "@lunar/db";
import { EVENTS_CHANNEL, ingestEvents, insertDeadLetters, touchAgents } from "@lunar/db/postgres";
import { CLOSE_CODES, HEARTBEAT_INTERVAL_MS } from "@lunar/shared";
import pg from "pg";
import type pino from "pino";
import { createConnectionHooks } from "./agent/connection-hooks";
import { ConnectionRegistry } from "./agent/connection-registry";
import type { TGatewayEnv } from "./env";
import { createFlowsDistribution } from "./flows/flows-distribution";
import { OrgFlowsCache } from "./flows/org-flows-cache";
import { createGatewayHttpServer } from "./http/gateway-http-server";
import { IngestQueue } from "./ingest/ingest-queue";
import { OrgRateLimiter } from "./ingest/org-rate-limiter";
import { maintainStorage } from "./maintenance/maintain-storage";
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
  await maintainStorage(pool, env, log);
  const maintenance = setInterval(
    () => void maintainStorage(pool, env, log),
    MAINTENANCE_INTERVAL_MS,
  );
  // Hourly rollups, every minute and off the ingest path (packages/db compact-rollups.ts).
  const compaction = startRollupCompaction(pool, log, env.ROLLUP_COMPACTION_INTERVAL_MS);

  const orgFlows = new OrgFlowsCache(pool);
  const listener = createFlowsDistribution({
    pool,
    databaseUrl: env.DATABASE_URL,
    registry,
    orgFlows,
    log,
  });
  await listener.start();

  const hooks = createConnectionHooks({ pool, registry, queue, limiter, orgFlows, metrics, log });
  const heartbeat = setInterval(() => {
    const agents = registry
      .list()
      .filter((c) => c.agentId !== null)
      .map((c) => ({ orgId: c.orgId, agentId: c.agentId as string }));
    void touchAgents(pool, agents).catch((error) =>
      log.warn({ err: error }, "agent heartbeat write failed"),
    );
  }, HEARTBEAT_INTERVAL_MS);

  let accepting = true;
  const { server, wss } = createGatewayHttpServer({
    pool,
    db,
    hooks,
    registry,
    metrics,
    log,
    isAccepting: () => accepting,
  });
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

export { EVENTS_CHANNEL };
