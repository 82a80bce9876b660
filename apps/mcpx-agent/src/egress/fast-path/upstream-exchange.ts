import type { Socket } from "node:net";
import type { PooledUpstream, RawUpstreamPool, UpstreamListener } from "./raw-upstream-pool";
import { type ResponseHandlers, type ResponseHead, ResponseReader } from "./response-reader";

// Transfer-Encoding stays: a chunked body is passed on verbatim, framing and all.
const RESPONSE_HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-connection",
  "te",
  "trailer",
  "upgrade",
]);

export interface ExchangeOutcome {
  status: number | null;
  bytesIn: number;
  networkError: string | null;
  /** The client connection ends after this response. */
  close: boolean;
}

/**
 * The header names a Connection header lists (they are hop-by-hop too), or null when it lists
 * only `keep-alive` or `close` (the usual case, with nothing more to strip).
 */
export function connectionTokens(value: string | undefined): Set<string> | null {
  if (value === undefined) return null;
  const lower = value.toLowerCase();
  if (lower === "keep-alive" || lower === "close") return null;
  return new Set(lower.split(",").map((token) => token.trim()));
}

/**
 * One request sent on a raw upstream connection and its response relayed to the client, with
 * backpressure. "stale" when the upstream closed or failed before answering a single byte (a
 * kept-alive connection it had dropped): the caller may retry on a fresh one. No listener is
 * added per exchange: the upstream's come through PooledUpstream, the client's (drain, close)
 * through the connection that runs the exchange.
 */
export class UpstreamExchange implements ResponseHandlers, UpstreamListener {
  private readonly reader: ResponseReader;
  private bytesIn = 0;
  private status: number | null = null;
  private received = false;
  private reusable = false;
  private close: boolean;
  private settled = false;
  private resolve!: (outcome: ExchangeOutcome | "stale") => void;

  constructor(
    private readonly client: Socket,
    private readonly upstream: PooledUpstream,
    private readonly pool: RawUpstreamPool,
    private readonly address: string,
    private readonly port: number,
    method: string,
    clientAskedToClose: boolean,
  ) {
    this.reader = new ResponseReader(method, this);
    this.close = clientAskedToClose;
  }

  run(request: Buffer): Promise<ExchangeOutcome | "stale"> {
    const promise = new Promise<ExchangeOutcome | "stale">((resolve) => {
      this.resolve = resolve;
    });
    this.upstream.listener = this;
    this.upstream.socket.write(request);
    return promise;
  }

  upstreamData(chunk: Buffer): void {
    this.received = true;
    // The head and the first body bytes leave in one write.
    this.client.cork();
    this.reader.feed(chunk);
    this.client.uncork();
  }

  upstreamEnded(): void {
    this.reader.eof();
  }

  clientDrained(): void {
    this.upstream.socket.resume();
  }

  clientClosed(): void {
    this.upstream.socket.destroy();
    this.settle({
      status: this.status,
      bytesIn: this.bytesIn,
      networkError: "client_closed",
      close: true,
    });
  }

  head(response: ResponseHead): void {
    this.status = response.status;
    this.reusable = response.reusable;
    if (response.framing === "close") this.close = true;
    let listed: Set<string> | null = null;
    for (const [name, value] of response.headers) {
      if (name.toLowerCase() !== "connection") continue;
      const tokens = connectionTokens(value);
      if (tokens === null) continue;
      listed ??= new Set();
      for (const token of tokens) listed.add(token);
    }
    let text = `HTTP/1.1 ${response.status} ${response.reason}\r\n`;
    for (const [name, value] of response.headers) {
      const lower = name.toLowerCase();
      if (!RESPONSE_HOP_BY_HOP.has(lower) && !listed?.has(lower)) text += `${name}: ${value}\r\n`;
    }
    if (this.close) text += "Connection: close\r\n";
    this.client.write(Buffer.from(`${text}\r\n`, "latin1"));
  }

  body(bytes: Buffer): void {
    this.bytesIn += bytes.length;
    if (!this.client.write(bytes)) this.upstream.socket.pause();
  }

  end(): void {
    this.upstream.listener = null;
    if (this.reusable && !this.reader.hadTrailingBytes) {
      this.pool.release(this.address, this.port, this.upstream);
    } else this.upstream.socket.destroy();
    if (this.close) this.client.end();
    this.settle({
      status: this.status,
      bytesIn: this.bytesIn,
      networkError: null,
      close: this.close,
    });
  }

  error(message: string): void {
    this.upstream.listener = null;
    this.upstream.socket.destroy();
    if (!this.received) {
      this.settle("stale");
      return;
    }
    if (this.status === null) {
      const body = `Bad gateway: ${message}`;
      this.client.end(
        `HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    } else this.client.destroy();
    this.settle({
      status: this.status,
      bytesIn: this.bytesIn,
      networkError: message.slice(0, 200),
      close: true,
    });
  }

  private settle(outcome: ExchangeOutcome | "stale"): void {
    if (this.settled) return;
    this.settled = true;
    this.upstream.listener = null;
    this.resolve(outcome);
  }
}
