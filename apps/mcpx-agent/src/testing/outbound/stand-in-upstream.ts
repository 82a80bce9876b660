// A local stand-in for public APIs: an HTTP and an HTTPS server on 127.0.0.1 (its own test CA)
// that answers any path with a JSON echo of what it received, and records every request so a test
// can assert that a call did, or did not, arrive. Public-looking names reach it only through a
// proxy that maps them to its loopback ports (see recording-proxy.ts): nothing here resolves names.
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { createTestCa, type TestCa } from "./test-ca";

export interface UpstreamRequest {
  scheme: "http" | "https";
  method: string;
  /** The Host header as received. */
  host: string;
  path: string;
  /** The TLS server name the client sent (https only). */
  sni: string | null;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the stand-in answers: a JSON echo (status 200, or `?status=NNN`). */
export interface UpstreamEcho {
  standIn: true;
  scheme: "http" | "https";
  method: string;
  host: string;
  path: string;
  body: string;
}

export interface StandInUpstream {
  /** The CA that signed the HTTPS certificate; whoever talks TLS to the stand-in must trust it. */
  caPem: string;
  httpPort: number;
  httpsPort: number;
  readonly requests: UpstreamRequest[];
  close(): Promise<void>;
}

export interface StandInOptions {
  /** DNS names (and IPs) on the HTTPS certificate. */
  names: readonly string[];
  ca?: TestCa;
}

export async function startStandInUpstream(options: StandInOptions): Promise<StandInUpstream> {
  const ca = options.ca ?? (await createTestCa("mcpx stand-in upstream CA"));
  const leaf = await ca.issue([...options.names, "127.0.0.1"]);
  const requests: UpstreamRequest[] = [];

  const handler =
    (scheme: "http" | "https") =>
    (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const path = req.url ?? "/";
        const body = Buffer.concat(chunks).toString("utf8");
        const host = req.headers.host ?? "";
        const sni = scheme === "https" ? (req.socket as TLSSocket).servername || null : null;
        requests.push({
          scheme,
          method: req.method ?? "",
          host,
          path,
          sni,
          headers: req.headers,
          body,
        });
        const status = Number(new URL(path, "http://stand-in").searchParams.get("status") ?? 200);
        const echo: UpstreamEcho = {
          standIn: true,
          scheme,
          method: req.method ?? "",
          host,
          path,
          body,
        };
        res.writeHead(status >= 200 && status <= 599 ? status : 200, {
          "content-type": "application/json",
        });
        res.end(JSON.stringify(echo));
      });
    };

  const http = createHttpServer(handler("http"));
  const https = createHttpsServer(
    { key: leaf.keyPem, cert: leaf.certPem, ALPNProtocols: ["http/1.1"] },
    handler("https"),
  );
  const [httpPort, httpsPort] = await Promise.all([listen(http), listen(https)]);
  return {
    caPem: ca.certPem,
    httpPort,
    httpsPort,
    requests,
    close: async () => {
      await Promise.all([stop(http), stop(https)]);
    },
  };
}

export function listen(server: Server, host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
