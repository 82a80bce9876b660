import type { Socket } from "node:net";
import {
  type BlockResponse,
  DEFAULT_BLOCK_RESPONSE,
  type FlowRequest,
  type ParsedTarget,
  parseTarget,
  type TargetResult,
} from "@lunar/shared";
import { decideWithBuiltins } from "../decide-with-builtins";
import type { EgressContext } from "../egress-context";
import { REQUEST_HOP_BY_HOP } from "../hop-by-hop";
import { type HttpCallStart, recordHttpCall } from "../record-http-call";
import { resolveDestination } from "../resolve-destination";
import type { RawUpstreamPool } from "./raw-upstream-pool";
import { type FastRequestHead, readRequestHead } from "./request-head";
import { connectionTokens, type ExchangeOutcome, UpstreamExchange } from "./upstream-exchange";

const IDLE_TIMEOUT_MS = 30_000;
/** Targets parsed recently (clients call the same URLs again and again); results are read-only. */
const parsedTargets = new Map<string, TargetResult>();
const MAX_PARSED_TARGETS = 1024;

function parseAbsoluteTarget(url: string): TargetResult {
  let parsed = parsedTargets.get(url);
  if (!parsed) {
    parsed = parseTarget({ kind: "absolute", url });
    if (parsedTargets.size >= MAX_PARSED_TARGETS) parsedTargets.clear();
    parsedTargets.set(url, parsed);
  }
  return parsed;
}
/** Pipelined bytes held while a request is answered; past it the socket stops being read. */
const MAX_BUFFERED_BYTES = 64 * 1024;
export interface FastPathOptions {
  context: EgressContext;
  pool: RawUpstreamPool;
  /** Gives the connection, its unread bytes put back, to Node's HTTP server. */
  handOff(socket: Socket): void;
  /** Every connection the fast path holds (closed when idle on a flows change). */
  connections: Set<FastPathConnection>;
}

/**
 * One client connection on the proxy's fast path: plain-HTTP absolute-form requests without a
 * body, read and answered on the raw socket (no Node HTTP objects per request), decided exactly
 * as on the general path (same target parser, flows, address checks, events). The first request
 * the fast path does not take (CONNECT, a body, HTTP/1.0, anything unusual) hands the whole
 * connection, unread bytes included, to Node's HTTP server, which serves it from then on.
 */
export class FastPathConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private busy = false;
  /** The upstream exchange in progress: told when the client drains or closes. */
  private exchange: UpstreamExchange | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly options: FastPathOptions,
  ) {
    options.connections.add(this);
    socket.setNoDelay(true);
    socket.on("data", this.onData);
    socket.on("error", this.onError);
    socket.on("close", this.onClose);
    socket.on("drain", this.onDrain);
    socket.setTimeout(IDLE_TIMEOUT_MS, this.onTimeout);
  }

  /** Closes the connection if no request is in progress (flows changed: decide afresh). */
  closeIfIdle(): void {
    if (!this.busy) this.socket.destroy();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private readonly onData = (chunk: Buffer) => {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    if (!this.busy) this.next();
    else if (this.buffered.length > MAX_BUFFERED_BYTES) this.socket.pause();
  };

  private readonly onError = () => this.socket.destroy();
  private readonly onClose = () => {
    this.options.connections.delete(this);
    this.exchange?.clientClosed();
  };
  private readonly onDrain = () => this.exchange?.clientDrained();
  private readonly onTimeout = () => {
    if (!this.busy) this.socket.destroy();
  };

  private next(): void {
    if (this.buffered.length === 0) return;
    const reading = readRequestHead(this.buffered);
    if (reading.kind === "incomplete") return;
    if (reading.kind === "hand-off") {
      this.handOff();
      return;
    }
    const head = reading.head;
    this.buffered = this.buffered.subarray(head.length);
    // Pipelined requests wait in the buffer until this one is answered (the socket is not paused
    // for each request: stopping and restarting reads costs two system calls).
    this.busy = true;
    void this.answer(head);
  }

  private async answer(head: FastRequestHead): Promise<void> {
    try {
      const close = await this.serve(head);
      this.busy = false;
      if (close || this.socket.destroyed) return;
      if (this.socket.isPaused()) this.socket.resume();
      this.next();
    } catch (error) {
      this.options.context.log.warn({ err: error }, "proxied request failed");
      this.socket.destroy();
    }
  }

  private handOff(): void {
    const socket = this.socket;
    socket.off("data", this.onData);
    socket.off("error", this.onError);
    socket.off("close", this.onClose);
    socket.off("drain", this.onDrain);
    socket.off("timeout", this.onTimeout);
    socket.setTimeout(0);
    this.options.connections.delete(this);
    socket.pause();
    if (this.buffered.length > 0) socket.unshift(this.buffered);
    this.buffered = Buffer.alloc(0);
    this.options.handOff(socket);
    socket.resume();
  }

  /** Answers one request; resolves with whether the connection must close afterwards. */
  private async serve(head: FastRequestHead): Promise<boolean> {
    const { context } = this.options;
    const startedAt = performance.now();
    const parsed = parseAbsoluteTarget(head.target);
    if (!parsed.ok) {
      this.writeText(400, "Bad Request", `Bad request target: ${parsed.error.message}`, true);
      return true;
    }
    const target = parsed.target;
    const base: HttpCallStart = { method: head.method, target, startedAt, inspected: true };
    const request: FlowRequest = {
      target,
      method: head.method,
      headers: head.headers,
      server: context.server,
    };
    const decision = decideWithBuiltins(context, request);
    if (decision.decision === "blocked") {
      return this.blocked(head, base, decision.response, decision.rule);
    }
    const destination = await resolveDestination(context, request, decision);
    if (!destination.ok) {
      if (destination.decision) {
        return this.blocked(head, base, destination.decision.response, destination.decision.rule);
      }
      this.writeText(502, "Bad Gateway", `Bad gateway: ${destination.networkError}`, true);
      recordHttpCall(context, base, {
        bytesOut: 0,
        status: null,
        bytesIn: 0,
        decision: "allowed",
        rule: decision.rule,
        networkError: destination.networkError,
      });
      return true;
    }
    const outcome = await this.forward(head, target, destination.address, destination.port);
    recordHttpCall(context, base, {
      bytesOut: 0,
      status: outcome.status,
      bytesIn: outcome.bytesIn,
      networkError: outcome.networkError,
      decision: "allowed",
      rule: destination.decision.rule,
    });
    return outcome.close;
  }

  private blocked(
    head: FastRequestHead,
    base: HttpCallStart,
    response: BlockResponse | undefined,
    rule: string | null,
  ): boolean {
    const answer = response ?? DEFAULT_BLOCK_RESPONSE;
    const bytes = this.writeGenerated(answer, head.close);
    recordHttpCall(this.options.context, base, {
      bytesOut: 0,
      status: answer.status,
      bytesIn: bytes,
      decision: "blocked",
      rule,
      networkError: null,
    });
    return head.close;
  }

  /** Sends the request to the approved address and relays the answer; one retry on a stale
   * kept-alive connection (every fast-path method is idempotent). */
  private async forward(
    head: FastRequestHead,
    target: ParsedTarget,
    address: string,
    port: number,
  ): Promise<ExchangeOutcome> {
    const listed = connectionTokens(head.headers.connection);
    let text = `${head.method} ${target.path}${target.query} HTTP/1.1\r\n`;
    for (const [name, value] of head.rawHeaders) {
      const lower = name.toLowerCase();
      if (!REQUEST_HOP_BY_HOP.has(lower) && !listed?.has(lower)) text += `${name}: ${value}\r\n`;
    }
    const hostName = target.hostKind === "ipv6" ? `[${target.host}]` : target.host;
    text += `Host: ${target.port === 80 ? hostName : `${hostName}:${target.port}`}\r\n\r\n`;
    const request = Buffer.from(text, "latin1");
    for (let attempt = 0; ; attempt++) {
      let upstream = this.options.pool.take(address, port);
      try {
        upstream ??= await this.options.pool.dial(address, port);
      } catch (error) {
        const code =
          (error as NodeJS.ErrnoException).code ?? (error as Error).message.slice(0, 200);
        this.writeText(502, "Bad Gateway", `Bad gateway: ${code}`, true);
        return { status: null, bytesIn: 0, networkError: code, close: true };
      }
      const exchange = new UpstreamExchange(
        this.socket,
        upstream,
        this.options.pool,
        address,
        port,
        head.method,
        head.close,
      );
      this.exchange = exchange;
      const outcome = await exchange.run(request);
      this.exchange = null;
      if (outcome === "stale" && upstream.reused && attempt === 0) continue;
      if (outcome === "stale") {
        this.writeText(502, "Bad Gateway", "Bad gateway: the upstream closed the connection", true);
        return { status: null, bytesIn: 0, networkError: "upstream_closed", close: true };
      }
      return outcome;
    }
  }

  private writeGenerated(response: BlockResponse, close: boolean): number {
    const body = Buffer.from(response.body);
    this.socket.write(
      `HTTP/1.1 ${response.status} ${response.status === 403 ? "Forbidden" : "Blocked"}\r\n` +
        `Content-Type: ${response.contentType}\r\nContent-Length: ${body.length}\r\n` +
        `X-Lunar-Blocked: 1\r\n${close ? "Connection: close\r\n" : ""}\r\n`,
    );
    if (close) this.socket.end(body);
    else this.socket.write(body);
    return body.length;
  }

  private writeText(status: number, reason: string, message: string, close: boolean): void {
    const body = Buffer.from(message);
    const head =
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${body.length}\r\n${close ? "Connection: close\r\n" : ""}\r\n`;
    if (close) this.socket.end(Buffer.concat([Buffer.from(head), body]));
    else this.socket.write(Buffer.concat([Buffer.from(head), body]));
  }
}
