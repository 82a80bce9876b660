import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Db } from "@lunar/db";
import { AGENT_WS_PATH, MAX_FRAME_BYTES } from "@lunar/shared";
import type pg from "pg";
import type pino from "pino";
import { WebSocketServer } from "ws";
import { AgentConnection, type ConnectionHooks } from "../agent/agent-connection";
import { authenticateUpgrade, refuseUpgrade } from "../agent/authenticate-upgrade";
import type { ConnectionRegistry } from "../agent/connection-registry";
import type { GatewayMetrics } from "../metrics";
import { createHealthHandler } from "./health-routes";

/**
 * The gateway's HTTP server: health and metrics routes, and the agents' WebSocket upgrade (the
 * API key checked before any WebSocket exists). Each request and upgrade has a fault boundary.
 */
export function createGatewayHttpServer(deps: {
  pool: pg.Pool;
  db: Db;
  hooks: ConnectionHooks;
  registry: ConnectionRegistry;
  metrics: GatewayMetrics;
  log: pino.Logger;
  isAccepting: () => boolean;
}): { server: Server; wss: WebSocketServer } {
  const { pool, db, hooks, registry, metrics, log, isAccepting } = deps;
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
    if (!isAccepting()) return refuseUpgrade(socket, 503, "The gateway is shutting down");
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
  return { server, wss };
}

/** The path of a request target; a target no URL parser accepts has none. */
function pathOf(target: string | undefined): string | null {
  try {
    return new URL(target ?? "/", "http://gateway").pathname;
  } catch {
    return null;
  }
}
