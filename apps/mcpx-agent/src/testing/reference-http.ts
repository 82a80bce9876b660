import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { buildReferenceServer, type ReferenceState } from "./reference-server";

export interface ReferenceHttp {
  url: string;
  /** What the server of the most recent session saw. */
  state(): ReferenceState | undefined;
  close(): Promise<void>;
}

/**
 * The reference server over Streamable HTTP with sessions (as the conformance suite's
 * everything-server runs) on a loopback port; `port` 0 picks one.
 */
export async function startReferenceHttp(
  options: { port?: number; extras?: boolean } = {},
): Promise<ReferenceHttp> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  let latest: ReferenceState | undefined;
  const http: Server = createServer(async (req, res) => {
    try {
      const id = req.headers["mcp-session-id"];
      const known = typeof id === "string" ? transports.get(id) : undefined;
      if (known) return await known.handleRequest(req, res);
      if (typeof id === "string") {
        res.writeHead(404, { "content-type": "application/json" });
        return res.end(
          JSON.stringify({
            jsonrpc: "2.0",
            error: { code: -32001, message: "Session not found" },
            id: null,
          }),
        );
      }
      const body = await readJson(req);
      if (req.method !== "POST" || !isInitializeRequest(body)) {
        res.writeHead(400, { "content-type": "application/json" });
        return res.end(
          JSON.stringify({
            jsonrpc: "2.0",
            error: { code: -32000, message: "Bad Request: no session" },
            id: null,
          }),
        );
      }
      const { server, state } = buildReferenceServer({ extras: options.extras });
      latest = state;
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableDnsRebindingProtection: true,
        allowedHosts: [`127.0.0.1:${port}`, `localhost:${port}`],
        onsessioninitialized: (sessionId) => {
          transports.set(sessionId, transport);
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) transports.delete(transport.sessionId);
      };
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    state: () => latest,
    close: () =>
      new Promise((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

async function readJson(req: import("node:http").IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return undefined;
  }
}
