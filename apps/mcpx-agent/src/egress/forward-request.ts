import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { ParsedTarget } from "@lunar/shared";
import type { Dispatcher } from "undici";
import type { EgressContext } from "./egress-context";
import { REQUEST_HOP_BY_HOP } from "./hop-by-hop";
import { UpstreamPools } from "./upstream-pools";

/** The client's headers as it sent them (names and order kept), hop-by-hop ones removed. */
function forwardedHeaders(req: IncomingMessage, target: ParsedTarget): string[] {
  const connection = req.headers.connection;
  const listed = connection
    ? new Set(connection.split(",").map((name) => name.trim().toLowerCase()))
    : null;
  const raw = req.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (REQUEST_HOP_BY_HOP.has(lower) || listed?.has(lower)) continue;
    out.push(name, raw[i + 1] as string);
  }
  const defaultPort = target.scheme === "https" ? 443 : 80;
  const hostName = target.hostKind === "ipv6" ? `[${target.host}]` : target.host;
  out.push("host", target.port === defaultPort ? hostName : `${hostName}:${target.port}`);
  return out;
}

function stripHopByHop(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !REQUEST_HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/** Whether the client's request carries a body to stream upstream. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

// Kept-alive upstream connections, shared by every request of this process (per destination).
const pools = new UpstreamPools();

export interface ForwardResult {
  status: number | null;
  bytesIn: number;
  bytesOut: number;
  networkError: string | null;
}

/**
 * Sends the request to the address the checks approved (dialled through the context's dialer,
 * never re-resolving the name) and streams the answer back, with backpressure both ways.
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
    let status: number | null = null;
    let controller: Dispatcher.DispatchController | null = null;
    let settled = false;
    const settle = (networkError: string | null) => {
      if (settled) return;
      settled = true;
      resolve({ status, bytesIn, bytesOut, networkError });
    };
    // The client went away before the answer was complete: stop the upstream exchange too.
    res.once("close", () => {
      if (!res.writableFinished) {
        controller?.abort(new Error("client closed"));
        settle("client_closed");
      }
    });
    // Counted as undici pulls it (a "data" listener would start the flow before undici reads).
    const body = hasBody(req)
      ? Readable.from(
          (async function* () {
            for await (const chunk of req as AsyncIterable<Buffer>) {
              bytesOut += chunk.length;
              yield chunk;
            }
          })(),
          { objectMode: false },
        )
      : null;
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
      },
      onResponseStart(started, statusCode, headers, statusMessage) {
        status = statusCode;
        res.writeHead(statusCode, statusMessage, stripHopByHop(headers));
        res.on("drain", () => started.resume());
      },
      onResponseData(started, chunk) {
        bytesIn += chunk.length;
        if (!res.write(chunk)) started.pause();
      },
      onResponseEnd() {
        res.end();
        settle(null);
      },
      onResponseError(_controller, error: Error & { code?: string }) {
        const networkError = error.code ?? error.message.slice(0, 200);
        if (!res.headersSent) {
          res.writeHead(502, { "content-type": "text/plain" });
          res.end(`Bad gateway: ${networkError}`);
        } else res.destroy();
        settle(networkError);
      },
    };
    pools.poolFor(context, target, address, port).dispatch(
      {
        path: `${target.path}${target.query}`,
        method: req.method as Dispatcher.HttpMethod,
        headers: forwardedHeaders(req, target),
        body,
      },
      handler,
    );
  });
}
