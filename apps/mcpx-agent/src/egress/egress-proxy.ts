import { createServer, type Server } from "node:http";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { parseTarget } from "@lunar/shared";
import type { EgressContext } from "./egress-context";
import { FastPathConnection } from "./fast-path/fast-path-connection";
import { RawUpstreamPool } from "./fast-path/raw-upstream-pool";
import { createConnectHandler, type TunnelTracker } from "./handle-connect";
import { handleProxiedRequest } from "./handle-proxied-request";

export interface RunningEgressProxy {
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * One MCP server's egress proxy: a loopback HTTP proxy (absolute-form requests and CONNECT)
 * whose every request is decided by the org's flows before anything reaches the network.
 * Each server gets its own listener, so every outbound call is attributed to the server that
 * made it. When the flows change, blind tunnels and idle kept-alive connections opened under the
 * old ones are closed, so the very next call is decided by the new flows.
 */
export async function startEgressProxy(
  context: EgressContext,
  options: { port?: number } = {},
): Promise<RunningEgressProxy> {
  const tracker: TunnelTracker = { blindTunnels: new Set() };
  // The general path: Node's HTTP server (CONNECT, bodies, anything the fast path hands off).
  const http: Server = createServer((req, res) => {
    const parsed = parseTarget({ kind: "absolute", url: req.url ?? "" });
    void handleProxiedRequest(context, req, res, parsed, null).catch((error) => {
      context.log.warn({ err: error, server: context.server }, "proxied request failed");
      res.destroy();
    });
  });
  http.keepAliveTimeout = 30_000;
  http.on("connect", createConnectHandler(context, tracker));
  http.on("clientError", (_error, socket) => socket.destroy());
  // Every connection starts on the fast path (docs/ARCHITECTURE.md, "Egress proxy").
  const pool = new RawUpstreamPool(context.dialer);
  const fastConnections = new Set<FastPathConnection>();
  const server = createNetServer((socket) => {
    new FastPathConnection(socket, {
      context,
      pool,
      connections: fastConnections,
      handOff: (handed) => http.emit("connection", handed),
    });
  });
  const stopWatching = context.flows.onChange(() => {
    for (const tunnel of tracker.blindTunnels) tunnel.destroy();
    http.closeIdleConnections();
    for (const connection of fastConnections) connection.closeIfIdle();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      stopWatching();
      for (const tunnel of tracker.blindTunnels) tunnel.destroy();
      http.closeAllConnections();
      for (const connection of fastConnections) connection.destroy();
      pool.closeAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
