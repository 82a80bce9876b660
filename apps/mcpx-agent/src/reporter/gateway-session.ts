import { type TGatewayFrame, ZGatewayFrame } from "@lunar/shared";
import type pino from "pino";
import WebSocket from "ws";
import type { ConnectionOutcome } from "./disconnect-policy";

/** Flows documents come this way; the gateway cuts agents off past 4 MiB of unsent data anyway. */
const MAX_INCOMING_FRAME_BYTES = 16 * 1024 * 1024;
const MAX_REFUSAL_BODY_BYTES = 4_096;
/** How long a closing handshake may take before the socket is simply cut. */
const CLOSE_GRACE_MS = 2_000;

export interface GatewaySessionOptions {
  url: string;
  apiKey: string;
  /** Time allowed for the TCP/TLS connection and the HTTP upgrade. */
  handshakeTimeoutMs: number;
  /**
   * With nothing at all from the gateway for this long (it pings every 15 s), the connection is
   * presumed dead (a laptop that slept, a NAT that forgot us) and cut, to reconnect.
   */
  idleTimeoutMs: number;
  log: pino.Logger;
  onOpen(): void;
  onFrame(frame: TGatewayFrame): void;
}

/**
 * One WebSocket to the gateway, from the upgrade to the close: authenticates with the API key,
 * parses what the gateway sends, watches for silence, and resolves `ended` with how it ended.
 * Knows nothing of events or flows; the reporter speaks the protocol over it.
 */
export class GatewaySession {
  readonly ended: Promise<ConnectionOutcome>;
  private readonly socket: WebSocket;
  private refusal: { status: number; detail: string } | null = null;
  private networkError: string | null = null;
  private localReason: string | null = null;
  private opened = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: GatewaySessionOptions) {
    this.socket = new WebSocket(options.url, {
      headers: { authorization: `Bearer ${options.apiKey}` },
      handshakeTimeout: options.handshakeTimeoutMs,
      perMessageDeflate: false,
      maxPayload: MAX_INCOMING_FRAME_BYTES,
    });
    this.ended = new Promise((resolve) => {
      this.socket.once("close", (code, reason) => {
        clearTimeout(this.idleTimer);
        resolve(this.outcome(code, reason.toString()));
      });
    });
    this.socket.on("unexpected-response", (_request, response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => {
        if (body.length < MAX_REFUSAL_BODY_BYTES) body += chunk.toString();
      });
      response.on("end", () => {
        this.refusal = { status: response.statusCode ?? 0, detail: problemDetail(body) };
        this.socket.terminate();
      });
      response.on("error", () => this.socket.terminate());
    });
    this.socket.on("error", (error) => {
      this.networkError ??= error.message;
      options.log.debug({ err: error }, "gateway socket error");
    });
    this.socket.on("open", () => {
      this.opened = true;
      this.touch();
      options.onOpen();
    });
    this.socket.on("ping", () => this.touch());
    this.socket.on("message", (data, isBinary) => {
      this.touch();
      if (isBinary) return options.log.warn("ignoring a binary frame from the gateway");
      const frame = parseFrame(data.toString());
      if (frame) options.onFrame(frame);
      else options.log.warn("ignoring a frame from the gateway this agent does not understand");
    });
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends a frame if the socket is open; false otherwise (events stay in the spool). */
  send(frame: object | string): boolean {
    if (!this.isOpen) return false;
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
    return true;
  }

  /** A polite close (the gateway sees why); cut after CLOSE_GRACE_MS without the handshake. */
  close(code: number, reason: string): void {
    this.localReason ??= reason;
    if (this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.terminate();
      return;
    }
    this.socket.close(code, reason);
    setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** Cuts the connection now (a dead or misbehaving peer). */
  terminate(reason: string): void {
    this.localReason ??= reason;
    this.socket.terminate();
  }

  private touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(
      () => this.terminate(`no traffic from the gateway for ${this.options.idleTimeoutMs} ms`),
      this.options.idleTimeoutMs,
    );
  }

  private outcome(code: number, reason: string): ConnectionOutcome {
    if (this.refusal) return { kind: "refused", ...this.refusal };
    if (!this.opened && this.localReason === null) {
      return { kind: "unreachable", message: this.networkError ?? `closed (${code})` };
    }
    return { kind: "closed", code, reason: reason || this.localReason || this.networkError || "" };
  }
}

function parseFrame(text: string): TGatewayFrame | null {
  try {
    const parsed = ZGatewayFrame.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The `detail` of an application/problem+json refusal, else the start of the body. */
function problemDetail(body: string): string {
  try {
    const detail = (JSON.parse(body) as { detail?: unknown }).detail;
    if (typeof detail === "string") return detail;
  } catch {
    // not JSON
  }
  return body.trim().slice(0, 200);
}
