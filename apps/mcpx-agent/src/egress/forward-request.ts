import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { rootCertificates } from "node:tls";
import type { ParsedTarget } from "@lunar/shared";
import type { EgressContext } from "./egress-context";

// Hop-by-hop headers (RFC 9110 §7.6.1) and the proxy's own: never forwarded upstream.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authorization",
  "proxy-authenticate",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
]);

function forwardedHeaders(
  headers: IncomingHttpHeaders,
  target: ParsedTarget,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const listed = new Set(
    String(headers.connection ?? "")
      .split(",")
      .map((name) => name.trim().toLowerCase()),
  );
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  const defaultPort = target.scheme === "https" ? 443 : 80;
  const hostName = target.hostKind === "ipv6" ? `[${target.host}]` : target.host;
  out.host = target.port === defaultPort ? hostName : `${hostName}:${target.port}`;
  return out;
}

// Kept-alive upstream connections, shared by every request of this process (per destination).
const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });

export interface ForwardResult {
  status: number | null;
  bytesIn: number;
  bytesOut: number;
  networkError: string | null;
}

/**
 * Sends the request to the address the checks approved (never re-resolving the name) and
 * streams the answer back. HTTPS upstreams are verified against the system roots plus the
 * explicitly trusted CAs (local stand-ins); verification is never switched off.
 */
export function forwardRequest(
  context: EgressContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: ParsedTarget,
  address: string,
  port: number,
): Promise<ForwardResult> {
  return new Promise((resolve) => {
    let bytesOut = 0;
    let bytesIn = 0;
    const options = {
      host: address,
      port,
      method: req.method,
      path: `${target.path}${target.query}`,
      headers: forwardedHeaders(req.headers, target),
    };
    const upstream =
      target.scheme === "https"
        ? httpsRequest({
            ...options,
            servername: target.hostKind === "domain" ? target.host : undefined,
            // The certificate must carry the name the flows judged (servername), not the address.
            ca: [...rootCertificates, ...context.upstreamCAs],
            agent: httpsAgent,
          })
        : httpRequest({ ...options, agent: httpAgent });
    upstream.on("response", (response) => {
      res.writeHead(
        response.statusCode ?? 502,
        response.statusMessage,
        stripHopByHop(response.headers),
      );
      response.on("data", (chunk: Buffer) => {
        bytesIn += chunk.length;
      });
      response.pipe(res);
      response.on("end", () =>
        resolve({ status: response.statusCode ?? null, bytesIn, bytesOut, networkError: null }),
      );
      response.on("error", () =>
        resolve({
          status: response.statusCode ?? null,
          bytesIn,
          bytesOut,
          networkError: "aborted",
        }),
      );
    });
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      const networkError = error.code ?? error.message.slice(0, 200);
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(`Bad gateway: ${networkError}`);
      } else res.destroy();
      resolve({ status: null, bytesIn, bytesOut, networkError });
    });
    req.on("data", (chunk: Buffer) => {
      bytesOut += chunk.length;
    });
    req.pipe(upstream);
  });
}

function stripHopByHop(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}
