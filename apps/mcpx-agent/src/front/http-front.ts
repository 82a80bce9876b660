import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type pino from "pino";
import { createAggregateServer } from "../aggregator/aggregate-server";
import type { EventSink } from "../reporter/event-sink";
import type { UpstreamPool } from "../upstream/upstream-pool";

export const MCP_PATH = "/mcp";

export interface HttpFrontOptions {
  port: number;
  host: string;
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  log: pino.Logger;
}

/**
 * Streamable HTTP front end at /mcp. Listens on loopback unless told otherwise, and checks Host
 * and Origin on every request, so a web page cannot reach it through DNS rebinding or a
 * cross-origin fetch; optionally requires a bearer token. One aggregate server per MCP session.
 */
export async function startHttpFront(
  pool: UpstreamPool,
  events: EventSink,
  options: HttpFrontOptions,
): Promise<{ port: number; server: Server; close(): Promise<void> }> {
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; dispose(): void }>();
  let allowedHosts: Set<string> = new Set();

  const http = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const refusal = refuse(req, allowedHosts, options.token);
    if (refusal) {
      res.writeHead(refusal.status, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          jsonrpc: "2.0",
          error: { code: -32000, message: refusal.message },
          id: null,
        }),
      );
      return;
    }
    const sessionId = req.headers["mcp-session-id"];
    const existing = typeof sessionId === "string" ? sessions.get(sessionId) : undefined;
    if (existing) {
      await existing.transport.handleRequest(req, res);
      return;
    }
    if (typeof sessionId === "string") {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          jsonrpc: "2.0",
          error: { code: -32001, message: "Unknown or expired session" },
          id: null,
        }),
      );
      return;
    }
    const { server, dispose } = createAggregateServer(pool, events);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, dispose });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      dispose();
    };
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });

  await new Promise<void>((resolve) => http.listen(options.port, options.host, resolve));
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
    async close() {
      for (const { transport, dispose } of sessions.values()) {
        dispose();
        await transport.close().catch(() => {});
      }
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
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
