import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";
import { createSecureContext, TLSSocket } from "node:tls";
import { type FlowRequest, type ParsedTarget, parseTarget } from "@lunar/shared";
import { decideWithBuiltins } from "./decide-with-builtins";
import type { EgressContext } from "./egress-context";
import { writeGenerated, writeStatus } from "./generated-response";
import { handleProxiedRequest } from "./handle-proxied-request";
import { type HttpCallStart, recordHttpCall } from "./record-http-call";
import { resolveDestination } from "./resolve-destination";
import { TunnelRelay } from "./tunnel-relay";

const TLS_HANDSHAKE = 0x16;
const ESTABLISHED = "HTTP/1.1 200 Connection Established\r\n\r\n";

export interface TunnelTracker {
  /** Tunnels decided once at host level: closed when the flows change. */
  blindTunnels: Set<Socket>;
}

/**
 * CONNECT: with TLS inspection (the default), the proxy answers 200 itself, terminates TLS with a
 * certificate from the agent's CA and decides every request inside by method, host, path and
 * headers; plain HTTP inside a tunnel (undici tunnels http:// too) is read the same way. Without
 * inspection (turned off for a server or host, e.g. a client that pins certificates) the tunnel
 * is decided at host level once and the bytes pass through unread.
 */
export function createConnectHandler(context: EgressContext, tracker: TunnelTracker) {
  const tunnelTargets = new WeakMap<Socket, ParsedTarget>();
  const inner: Server = createServer((req, res) => {
    const tunnel = tunnelTargets.get(req.socket) as ParsedTarget;
    const scheme = req.socket instanceof TLSSocket ? "https" : "http";
    const parsed = parseTarget({
      kind: "origin",
      hostHeader: req.headers.host ?? "",
      path: req.url ?? "/",
      scheme,
    });
    void handleProxiedRequest(context, req, res, parsed, tunnel).catch((error) => {
      context.log.warn({ err: error }, "request inside a tunnel failed");
      res.destroy();
    });
  });
  inner.keepAliveTimeout = 30_000;

  return async (req: IncomingMessage, clientSocket: Socket, head: Buffer): Promise<void> => {
    clientSocket.on("error", () => clientSocket.destroy());
    // Small request/response exchanges: without this, Nagle plus delayed ACKs add ~200 ms.
    clientSocket.setNoDelay(true);
    const parsed = parseTarget({ kind: "connect", authority: req.url ?? "" });
    if (!parsed.ok) return writeStatus(clientSocket, 400, "Bad Request");
    const target = parsed.target;
    const inspect =
      context.ca !== null && !context.noInspect.has("*") && !context.noInspect.has(target.host);
    if (inspect) {
      clientSocket.write(ESTABLISHED);
      const first = head.length > 0 ? head : await firstChunk(clientSocket);
      if (!first) return;
      clientSocket.unshift(first);
      if (first[0] === TLS_HANDSHAKE) return startInspectedTls(clientSocket, target);
      tunnelTargets.set(clientSocket, { ...target, scheme: "http" });
      inner.emit("connection", clientSocket);
      // firstChunk paused it; the HTTP parser only reads a flowing socket.
      clientSocket.resume();
      return;
    }
    return startBlindTunnel(clientSocket, target, head);
  };

  async function startInspectedTls(clientSocket: Socket, target: ParsedTarget): Promise<void> {
    const ca = context.ca;
    if (!ca) return;
    // The certificate is for the host the CONNECT named, whatever (or whether) the client sends
    // as SNI; an SNI naming another host is refused: what is checked is what is connected to.
    const leaf = await ca.leafFor(target.host);
    const secureContext = createSecureContext({ cert: leaf.cert, key: leaf.key });
    const tls = new TLSSocket(clientSocket, {
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
    tunnelTargets.set(tls as unknown as Socket, { ...target, scheme: "https" });
    inner.emit("connection", tls);
  }

  async function startBlindTunnel(
    clientSocket: Socket,
    target: ParsedTarget,
    head: Buffer,
  ): Promise<void> {
    const startedAt = performance.now();
    const base: HttpCallStart = { method: "CONNECT", target, startedAt, inspected: false };
    const request: FlowRequest = { target, server: context.server };
    const decision = decideWithBuiltins(context, request);
    if (decision.decision === "blocked") {
      const bytes = writeGenerated(clientSocket, decision.response);
      recordHttpCall(context, base, {
        status: decision.response?.status ?? 403,
        bytesIn: bytes,
        bytesOut: 0,
        decision: "blocked",
        rule: decision.rule,
        networkError: null,
      });
      return;
    }
    const destination = await resolveDestination(context, request, decision);
    if (!destination.ok) {
      if (destination.decision) {
        const bytes = writeGenerated(clientSocket, destination.decision.response);
        recordHttpCall(context, base, {
          status: 403,
          bytesIn: bytes,
          bytesOut: 0,
          decision: "blocked",
          rule: destination.decision.rule,
          networkError: null,
        });
      } else {
        writeStatus(clientSocket, 502, "Bad Gateway");
        recordHttpCall(context, base, {
          status: null,
          bytesIn: 0,
          bytesOut: 0,
          decision: "allowed",
          rule: decision.rule,
          networkError: destination.networkError,
        });
      }
      return;
    }
    const relay = new TunnelRelay(clientSocket, (closed) => {
      tracker.blindTunnels.delete(clientSocket);
      recordHttpCall(context, base, {
        status: 200,
        bytesIn: closed.bytesIn,
        bytesOut: closed.bytesOut,
        decision: "allowed",
        rule: destination.decision.rule,
        networkError: null,
      });
    });
    let upstream: Socket;
    try {
      upstream = await context.dialer.connect(destination.address, destination.port);
    } catch (error) {
      writeStatus(clientSocket, 502, "Bad Gateway");
      const code = (error as NodeJS.ErrnoException).code ?? "connect_failed";
      recordHttpCall(context, base, {
        status: null,
        bytesIn: 0,
        bytesOut: 0,
        decision: "allowed",
        rule: decision.rule,
        networkError: code,
      });
      return;
    }
    // Relayed TLS records must not wait for Nagle (with the peer's delayed ACK, up to 40 ms).
    upstream.setNoDelay(true);
    tracker.blindTunnels.add(clientSocket);
    relay.start(upstream, head, ESTABLISHED);
  }
}

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
