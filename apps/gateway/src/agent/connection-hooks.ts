import {
  addAgentDroppedEvents,
  currentFlows,
  markAgentDisconnected,
  updateAgentServers,
  upsertAgentOnHello,
} from "@lunar/db/postgres";
import { CLOSE_CODES, toStorableServers, toStorableText } from "@lunar/shared";
import type pg from "pg";
import type pino from "pino";
import type { OrgFlowsCache } from "../flows/org-flows-cache";
import { recheckEvents } from "../flows/recheck-events";
import type { IngestQueue } from "../ingest/ingest-queue";
import type { OrgRateLimiter } from "../ingest/org-rate-limiter";
import type { GatewayMetrics } from "../metrics";
import type { ConnectionHooks } from "./agent-connection";
import type { ConnectionRegistry } from "./connection-registry";
import { KeyedSerial } from "./keyed-serial";

export interface ConnectionHooksDeps {
  pool: pg.Pool;
  registry: ConnectionRegistry;
  queue: IngestQueue;
  limiter: OrgRateLimiter;
  orgFlows: OrgFlowsCache;
  metrics: GatewayMetrics;
  log: pino.Logger;
}

/** What the gateway does with each agent connection's frames: the database side of the protocol. */
export function createConnectionHooks(deps: ConnectionHooksDeps): ConnectionHooks {
  const { pool, registry, queue, limiter, orgFlows, metrics, log } = deps;
  // An agent's row is written by its hellos and disconnects in the order they happened here, so
  // a connection replaced in a race can never be left named on the row (agents.connection_id).
  const agentRows = new KeyedSerial();
  const agentKey = (orgId: string, agentId: string) => `${orgId}/${agentId}`;

  return {
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
}
