import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type pino from "pino";
import { createAggregateServer } from "../aggregator/aggregate-server";
import { listenOrFail } from "../net/listen-or-fail";
import type { EventSink } from "../reporter/event-sink";
import type { UpstreamPool } from "../upstream/upstream-pool";
import {
  type ClientSessionStatus,
  noteNegotiatedVersion,
  SESSION_ID_PREFIX_LENGTH,
} from "./client-session-status";
import {
  DEFAULT_HTTP_SESSION_LIMITS,
  type HttpSessionLimits,
  HttpSessionTable,
  type IdleTimers,
} from "./http-session-table";

export const MCP_PATH = "/mcp";

export interface HttpFrontOptions {
  port: number;
  host: string;
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Idle timeout and session cap (defaults: 10 minutes, 100 sessions). */
  sessions?: Partial<HttpSessionLimits>;
  /** Where idle timeouts run (tests move a clock by hand); real timers by default. */
  sessionTimers?: IdleTimers;
  log: pino.Logger;
  /** Called when a session's initialize is answered or a session ends. */
  onClientsChanged?: () => void;
}

export interface HttpFront {
  port: number;
  server: Server;
  /** The live MCP sessions: how many, which, and every start and end. */
  sessions: Pick<HttpSessionTable, "size" | "has" | "inUse" | "onChange">;
  /** Each live, initialized session: client, negotiated protocol version, since when. */
  clients(): ClientSessionStatus[];
  close(): Promise<void>;
}

/**
 * Streamable HTTP front end at /mcp. Listens on loopback unless told otherwise, and checks Host
 * and Origin on every request, so a web page cannot reach it through DNS rebinding or a
 * cross-origin fetch; optionally requires a bearer token. One aggregate server per MCP session;
 * sessions expire when idle and are capped (http-session-table.ts). A request naming a session
 * that is unknown, expired or evicted gets 404, which tells the client to initialize again.
 */
export async function startHttpFront(
  pool: UpstreamPool,
  events: EventSink,
  options: HttpFrontOptions,
): Promise<HttpFront> {
  const sessions = new HttpSessionTable<{
    transport: StreamableHTTPServerTransport;
    close(): Promise<void>;
  }>({ ...DEFAULT_HTTP_SESSION_LIMITS, ...options.sessions }, options.sessionTimers);
  const clients = new Map<string, ClientSessionStatus>();
  sessions.onChange((change) => {
    if (change.kind !== "ended") return;
    if (change.reason !== "deleted" && change.reason !== "shutdown")
      options.log.debug(change, "MCP session closed");
    if (clients.delete(change.id)) options.onClientsChanged?.();
  });
  let allowedHosts: Set<string> = new Set();

  const http = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    try {
      await serve(req, res);
    } catch (error) {
      // One failing request must not take the front (or the agent) down.
      options.log.warn({ err: error }, "HTTP front request failed");
      if (!res.headersSent) sendJsonRpcError(res, 500, -32603, "Internal error");
      else res.destroy();
    }
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refusal = refuse(req, allowedHosts, options.token);
    if (refusal) return sendJsonRpcError(res, refusal.status, -32000, refusal.message);
    const sessionId = req.headers["mcp-session-id"];
    if (typeof sessionId === "string") {
      const session = sessions.use(sessionId, res);
      if (session) return session.transport.handleRequest(req, res);
      // The spec's answer for a session the server no longer has: the client starts a new one.
      return sendJsonRpcError(res, 404, -32001, "Session not found (unknown or expired)");
    }
    if (!sessions.makeRoom()) {
      res.setHeader("retry-after", "5");
      return sendJsonRpcError(res, 503, -32000, "Too many MCP sessions in use; retry later");
    }
    const id = randomUUID();
    const { server, dispose } = createAggregateServer(pool, events);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => id });
    noteNegotiatedVersion(server, transport, (negotiated) => {
      if (!sessions.has(id)) return;
      const session = id.slice(0, SESSION_ID_PREFIX_LENGTH);
      clients.set(id, { front: "http", session, ...negotiated });
      options.onClientsChanged?.();
    });
    sessions.add(
      id,
      {
        transport,
        async close() {
          dispose();
          await server.close();
        },
      },
      res,
    );
    // The transport closes on DELETE (and when the table closes the server).
    server.onclose = () => void sessions.end(id, "deleted");
    await server.connect(transport);
    await transport.handleRequest(req, res);
    // Anything but a successful initialize leaves a transport that can never be used.
    if (transport.sessionId === undefined) await sessions.end(id, "not initialized");
  }

  await listenOrFail(http, options.port, options.host);
  const { port } = http.address() as AddressInfo;
  allowedHosts = new Set([
    `127.0.0.1:${port}`,
    `localhost:${port}`,
    `[::1]:${port}`,
    `${options.host}:${port}`,
  ]);
  options.log.info(
    { url: `http://${options.host}:${port}${MCP_PATH}` },
    "MCP over Streamable HTTP",
  );
  return {
    port,
    server: http,
    sessions,
    clients: () => [...clients.values()],
    async close() {
      await sessions.endAll("shutdown");
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
}

function refuse(req: IncomingMessage, allowedHosts: Set<string>, token: string | undefined) {
  const path = new URL(req.url ?? "/", "http://agent").pathname;
  if (path !== MCP_PATH) return { status: 404, message: `MCP is served at ${MCP_PATH}` };
  const host = req.headers.host ?? "";
  if (!allowedHosts.has(host))
    return { status: 403, message: `Host ${JSON.stringify(host)} is not allowed` };
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost = "";
    try {
      originHost = new URL(origin).host;
    } catch {
      // a malformed Origin is refused below
    }
    if (!allowedHosts.has(originHost))
      return { status: 403, message: "Cross-origin requests are not allowed" };
  }
  if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
    return { status: 401, message: "Missing or wrong bearer token" };
  }
  return null;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(header ?? "")?.[1] ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
