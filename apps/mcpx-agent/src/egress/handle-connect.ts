import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";
import { createSecureContext, TLSSocket } from "node:tls";
import { type ParsedTarget, parseTarget } from "@lunar/shared";
import { ESTABLISHED, startBlindTunnel, type TunnelTracker } from "./blind-tunnel";
import type { EgressContext } from "./egress-context";
import { badRequest, writeGenerated } from "./generated-response";
import { handleProxiedRequest } from "./handle-proxied-request";

const TLS_HANDSHAKE = 0x16;

/**
 * CONNECT: with TLS inspection (the default), the proxy answers 200 itself, terminates TLS with a
 * certificate from the agent's CA and decides every request inside by method, host, path and
 * headers; plain HTTP inside a tunnel (undici tunnels http:// too) is read the same way. Without
 * inspection (turned off for a server or host, e.g. a client that pins certificates) the tunnel
 * is decided at host level once and the bytes pass through unread (`blind-tunnel.ts`).
 */
export function createConnectHandler(context: EgressContext, tunnels: TunnelTracker) {
  const tunnelTargets = new WeakMap<Socket, ParsedTarget>();
  // Requests read inside inspected tunnels; its connections are injected ("connection" event).
  const inner: Server = createServer((req, res) => {
    const tunnel = tunnelTargets.get(req.socket) as ParsedTarget;
    const parsed = parseTarget({
      kind: "origin",
      hostHeader: req.headers.host ?? "",
      path: req.url ?? "/",
      scheme: tunnel.scheme,
    });
    handleProxiedRequest(context, req, res, parsed, tunnel).catch((error) => {
      context.log.warn({ err: error }, "request inside a tunnel failed");
      res.destroy();
    });
  });
  inner.keepAliveTimeout = 30_000;

  return async (req: IncomingMessage, client: Socket, head: Buffer): Promise<void> => {
    client.on("error", () => client.destroy());
    tunnels.all.add(client);
    client.once("close", () => tunnels.all.delete(client));
    // Small request/response exchanges: without this, Nagle plus delayed ACKs add ~200 ms.
    client.setNoDelay(true);
    const parsed = parseTarget({ kind: "connect", authority: req.url ?? "" });
    if (!parsed.ok) {
      writeGenerated(client, badRequest(parsed.error.message), false);
      return;
    }
    const target = parsed.target;
    const inspect =
      context.ca !== null && !context.noInspect.has("*") && !context.noInspect.has(target.host);
    if (!inspect) return startBlindTunnel(context, tunnels, client, target, head);
    client.write(ESTABLISHED);
    const first = head.length > 0 ? head : await firstChunk(client);
    if (!first) return;
    client.unshift(first);
    if (first[0] === TLS_HANDSHAKE) return startInspectedTls(client, target);
    tunnelTargets.set(client, { ...target, scheme: "http" });
    inner.emit("connection", client);
    // firstChunk paused it; the HTTP parser only reads a flowing socket.
    client.resume();
  };

  async function startInspectedTls(client: Socket, target: ParsedTarget): Promise<void> {
    const ca = context.ca;
    if (!ca) return;
    // The certificate is for the host the CONNECT named, whatever (or whether) the client sends
    // as SNI; an SNI naming another host is refused: what is checked is what is connected to.
    const leaf = await ca.leafFor(target.host);
    const secureContext = createSecureContext({ cert: leaf.cert, key: leaf.key });
    const tls = new TLSSocket(client, {
      isServer: true,
      secureContext,
      ALPNProtocols: ["http/1.1"],
      SNICallback: (servername, callback) => {
        if (servername.toLowerCase().replace(/\.$/, "") !== target.host) {
          callback(new Error(`SNI ${servername} does not match CONNECT ${target.host}`));
          return;
        }
        callback(null, secureContext);
      },
    });
    tls.on("error", () => tls.destroy());
    tunnelTargets.set(tls, { ...target, scheme: "https" });
    inner.emit("connection", tls);
  }
}

/** The first bytes the client sends in a tunnel (TLS or plain HTTP?); the socket stays paused. */
function firstChunk(socket: Socket): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      cleanup();
      socket.pause();
      resolve(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const cleanup = () => {
      socket.off("data", onData);
      socket.off("end", onEnd);
      socket.off("close", onEnd);
    };
    socket.on("data", onData);
    socket.once("end", onEnd);
    socket.once("close", onEnd);
  });
}
