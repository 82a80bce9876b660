import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { parseTarget } from "@lunar/shared";
import { listenOrFail } from "../net/listen-or-fail";
import type { TunnelTracker } from "./blind-tunnel";
import type { EgressContext } from "./egress-context";
import { createConnectHandler } from "./handle-connect";
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
  const tunnels: TunnelTracker = { all: new Set(), blind: new Set() };
  const server: Server = createServer((req, res) => {
    const parsed = parseTarget({ kind: "absolute", url: req.url ?? "" });
    handleProxiedRequest(context, req, res, parsed, null).catch((error) => {
      context.log.warn({ err: error, server: context.server }, "proxied request failed");
      res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  const onConnect = createConnectHandler(context, tunnels);
  // A server created by `createServer` hands a CONNECT its net.Socket.
  server.on("connect", (req, socket: Socket, head) => {
    onConnect(req, socket, head).catch((error) => {
      context.log.warn({ err: error, server: context.server }, "tunnel failed");
      socket.destroy();
    });
  });
  server.on("clientError", (_error, socket) => socket.destroy());
  const stopWatching = context.flows.onChange(() => {
    for (const tunnel of tunnels.blind) tunnel.destroy();
    server.closeIdleConnections();
  });
  await listenOrFail(server, options.port ?? 0, "127.0.0.1");
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      stopWatching();
      for (const tunnel of tunnels.all) tunnel.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
