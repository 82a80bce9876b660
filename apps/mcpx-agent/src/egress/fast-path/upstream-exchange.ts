import type { Socket } from "node:net";
import type { RawUpstreamPool } from "./raw-upstream-pool";
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

export function connectionTokens(value: string | undefined): Set<string> {
  return new Set((value ?? "").split(",").map((token) => token.trim().toLowerCase()));
}

/**
 * One request sent on a raw upstream connection and its response relayed to the client, with
 * backpressure. "stale" when the upstream closed or failed before answering a single byte (a
 * kept-alive connection it had dropped): the caller may retry on a fresh one. Methods on the
 * prototype, listeners bound once per exchange: no closures made per request.
 */
export class UpstreamExchange implements ResponseHandlers {
  private readonly reader: ResponseReader;
  private bytesIn = 0;
  private status: number | null = null;
  private received = false;
  private reusable = false;
  private close: boolean;
  private settled = false;
  private resolve!: (outcome: ExchangeOutcome | "stale") => void;
  private readonly onData = this.data.bind(this);
  private readonly onEof = this.upstreamEnded.bind(this);
  private readonly onDrain = this.clientDrained.bind(this);
  private readonly onClientClose = this.clientClosed.bind(this);

  constructor(
    private readonly client: Socket,
    private readonly upstream: Socket,
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
    const promise = new Promise<ExchangeOutcome | "stale">(this.capture.bind(this));
    this.upstream.on("data", this.onData);
    this.upstream.on("end", this.onEof);
    this.upstream.on("close", this.onEof);
    this.upstream.on("error", this.onEof);
    this.client.on("drain", this.onDrain);
    this.client.once("close", this.onClientClose);
    this.upstream.write(request);
    return promise;
  }

  head(response: ResponseHead): void {
    this.status = response.status;
    this.reusable = response.reusable;
    if (response.framing === "close") this.close = true;
    let listed: Set<string> | null = null;
    for (const [name, value] of response.headers) {
      if (name.toLowerCase() === "connection") {
        listed ??= new Set();
        for (const token of connectionTokens(value)) listed.add(token);
      }
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
    if (!this.client.write(bytes)) this.upstream.pause();
  }

  end(): void {
    if (this.reusable && !this.reader.hadTrailingBytes) {
      this.pool.release(this.address, this.port, this.upstream);
    } else this.upstream.destroy();
    if (this.close) this.client.end();
    this.settle({
      status: this.status,
      bytesIn: this.bytesIn,
      networkError: null,
      close: this.close,
    });
  }

  error(message: string): void {
    this.upstream.destroy();
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

  private capture(resolve: (outcome: ExchangeOutcome | "stale") => void): void {
    this.resolve = resolve;
  }

  private data(chunk: Buffer): void {
    this.received = true;
    // The head and the first body bytes leave in one write.
    this.client.cork();
    this.reader.feed(chunk);
    this.client.uncork();
  }

  private upstreamEnded(): void {
    this.reader.eof();
  }

  private clientDrained(): void {
    this.upstream.resume();
  }

  private clientClosed(): void {
    this.upstream.destroy();
    this.settle({
      status: this.status,
      bytesIn: this.bytesIn,
      networkError: "client_closed",
      close: true,
    });
  }

  private settle(outcome: ExchangeOutcome | "stale"): void {
    if (this.settled) return;
    this.settled = true;
    this.upstream.off("data", this.onData);
    this.upstream.off("end", this.onEof);
    this.upstream.off("close", this.onEof);
    this.upstream.off("error", this.onEof);
    this.client.off("drain", this.onDrain);
    this.client.off("close", this.onClientClose);
    this.resolve(outcome);
  }
}
