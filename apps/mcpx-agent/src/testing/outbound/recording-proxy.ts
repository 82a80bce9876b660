// A minimal recording HTTP forward proxy for interception tests: it handles absolute-form requests
// (`GET http://host/path`) and CONNECT, records what each client asked for (and the identity in
// its Proxy-Authorization), and forwards only to routes it was given: a map from `host:port` to a
// port on 127.0.0.1. It never resolves a name and never dials anything but 127.0.0.1, so a test
// can name public-looking hosts without traffic leaving loopback. Unknown targets get a 502.
//
// Modes: "tunnel" pipes CONNECT bytes through untouched (the client then verifies the stand-in's
// own certificate); "mitm" terminates TLS inside CONNECT with leaves from a test CA (the client
// must trust that CA), records method, host and path of each request inside the tunnel, and
// forwards it over a new TLS connection that verifies the stand-in against `upstreamCaPem`.
// This is a test double, not the agent's egress proxy (src/egress/**).
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { request as httpsRequest } from "node:https";
import { connect as netConnect, type Socket } from "node:net";
import { createSecureContext, type SecureContext, TLSSocket } from "node:tls";
import { listen, stop } from "./stand-in-upstream";
import type { TestCa } from "./test-ca";

export interface Route {
  /** The loopback port that serves this `host:port`. */
  port: number;
  /** Whether that port speaks TLS (it decides how "mitm" mode treats a CONNECT to it). */
  tls: boolean;
}

export interface ProxyEvent {
  /** absolute: an absolute-form request; connect: a CONNECT; tunnelled: a request seen inside a
   *  CONNECT in mitm mode. */
  kind: "absolute" | "connect" | "tunnelled";
  method: string;
  /** host:port that was asked for. */
  authority: string;
  /** The full URL when the proxy saw it (absolute and tunnelled requests). */
  url: string | null;
  /** "user:password" from a Basic Proxy-Authorization header (for tunnelled: the CONNECT's). */
  credentials: string | null;
  outcome: "forwarded" | "no-route" | "upstream-error";
}

export interface RecordingProxyOptions {
  routes: Record<string, Route>;
  mode: "tunnel" | "mitm";
  /** Signs the leaves presented inside CONNECT in mitm mode. */
  mitmCa?: TestCa;
  /** Trusted when the proxy itself talks TLS to a route (mitm mode, absolute-form https URLs). */
  upstreamCaPem?: string;
}

export interface RecordingProxy {
  port: number;
  /** http://127.0.0.1:port */
  url: string;
  /** A proxy URL that carries an identity, as the agent gives each server its own. */
  urlWithIdentity(user: string, password: string): string;
  readonly events: ProxyEvent[];
  close(): Promise<void>;
}

interface TunnelMeta {
  host: string;
  port: number;
  route: Route;
  credentials: string | null;
}

const HOP_BY_HOP = [
  "proxy-authorization",
  "proxy-connection",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
];

/** Routes `name:80` and `name:443` of each name to a stand-in's HTTP and HTTPS ports. */
export function standInRoutes(
  names: readonly string[],
  upstream: { httpPort: number; httpsPort: number },
): Record<string, Route> {
  const routes: Record<string, Route> = {};
  for (const name of names) {
    routes[`${name}:80`] = { port: upstream.httpPort, tls: false };
    routes[`${name}:443`] = { port: upstream.httpsPort, tls: true };
  }
  return routes;
}

export async function startRecordingProxy(options: RecordingProxyOptions): Promise<RecordingProxy> {
  if (options.mode === "mitm" && !options.mitmCa) throw new Error("mitm mode needs mitmCa");
  const events: ProxyEvent[] = [];
  const sockets = new Set<Socket>();
  const tunnels = new WeakMap<Socket, TunnelMeta>();
  const contexts = new Map<string, Promise<SecureContext>>();

  const routeFor = (host: string, port: number): Route | undefined =>
    options.routes[`${host.toLowerCase()}:${port}`];

  /** Sends a request to a route on 127.0.0.1 and pipes the answer back. */
  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    target: { host: string; port: number; path: string; route: Route },
    event: ProxyEvent,
  ) => {
    const headers: IncomingHttpHeaders = { ...req.headers };
    for (const name of HOP_BY_HOP) delete headers[name];
    const common = {
      host: "127.0.0.1",
      port: target.route.port,
      method: req.method,
      path: target.path,
      headers,
      agent: false as const,
    };
    const upstream = target.route.tls
      ? httpsRequest({ ...common, servername: target.host, ca: options.upstreamCaPem })
      : httpRequest(common);
    upstream.on("response", (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", (error) => {
      event.outcome = "upstream-error";
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`recording proxy: upstream error: ${error.message}`);
    });
    req.pipe(upstream);
  };

  // Requests inside a terminated CONNECT (mitm mode) arrive here.
  const inner = createServer((req, res) => {
    const meta = tunnels.get(req.socket);
    if (!meta) {
      res.writeHead(500).end();
      return;
    }
    const path = req.url ?? "/";
    const scheme = meta.route.tls ? "https" : "http";
    const event: ProxyEvent = {
      kind: "tunnelled",
      method: req.method ?? "",
      authority: `${meta.host}:${meta.port}`,
      url: `${scheme}://${req.headers.host ?? meta.host}${path}`,
      credentials: meta.credentials,
      outcome: "forwarded",
    };
    events.push(event);
    forward(req, res, { host: meta.host, port: meta.port, path, route: meta.route }, event);
  });

  const server: Server = createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? "");
    } catch {
      res.writeHead(400, { "content-type": "text/plain" }).end("absolute-form requests only\n");
      return;
    }
    const port = Number(target.port) || (target.protocol === "https:" ? 443 : 80);
    const route = routeFor(target.hostname, port);
    const event: ProxyEvent = {
      kind: "absolute",
      method: req.method ?? "",
      authority: `${target.hostname}:${port}`,
      url: target.href,
      credentials: basicCredentials(req.headers["proxy-authorization"]),
      outcome: route ? "forwarded" : "no-route",
    };
    events.push(event);
    if (!route) {
      res.writeHead(502, { "content-type": "text/plain" }).end("recording proxy: no route\n");
      return;
    }
    forward(
      req,
      res,
      { host: target.hostname, port, path: `${target.pathname}${target.search}`, route },
      event,
    );
  });

  server.on("connect", async (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on("error", () => {});
    const authority = req.url ?? "";
    const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(authority);
    const host = match?.[1] ?? "";
    const port = Number(match?.[2] ?? 0);
    const route = match ? routeFor(host, port) : undefined;
    const credentials = basicCredentials(req.headers["proxy-authorization"]);
    events.push({
      kind: "connect",
      method: "CONNECT",
      authority,
      url: null,
      credentials,
      outcome: route ? "forwarded" : "no-route",
    });
    if (!route) {
      socket.end("HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    if (options.mode === "tunnel") {
      const upstream = netConnect(route.port, "127.0.0.1", () => {
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        if (head.length > 0) upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on("error", () => socket.destroy());
      socket.on("close", () => upstream.destroy());
      return;
    }
    if (!route.tls) {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) socket.unshift(head);
      tunnels.set(socket, { host, port, route, credentials });
      inner.emit("connection", socket);
      return;
    }
    const secureContext = await contextFor(host);
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    const tls = new TLSSocket(socket, {
      isServer: true,
      secureContext,
      ALPNProtocols: ["http/1.1"],
    });
    tls.on("error", () => socket.destroy());
    tunnels.set(tls, { host, port, route, credentials });
    inner.emit("connection", tls);
  });

  const contextFor = (host: string): Promise<SecureContext> => {
    let context = contexts.get(host);
    if (!context) {
      const ca = options.mitmCa as TestCa;
      context = ca
        .issue([host])
        .then((leaf) => createSecureContext({ key: leaf.keyPem, cert: leaf.certPem }));
      contexts.set(host, context);
    }
    return context;
  };

  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  const port = await listen(server);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    urlWithIdentity: (user, password) =>
      `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    events,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await stop(server);
    },
  };
}

function basicCredentials(header: string | undefined): string | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  return match?.[1] ? Buffer.from(match[1], "base64").toString("utf8") : null;
}
