import { randomUUID } from "node:crypto";
import {
  CLOSE_CODES,
  HEARTBEAT_INTERVAL_MS,
  HELLO_TIMEOUT_MS,
  MAX_BAD_FRAMES_PER_MINUTE,
  MAX_EVENTS_PER_BATCH,
  MAX_FRAME_BYTES,
  MAX_IN_FLIGHT_BATCHES,
  SUPPORTED_PROTOCOL_VERSIONS,
  type TAckFrame,
  type TAgentEvent,
  type TErrorFrame,
  type TEventsFrame,
  type TGatewayFrame,
  type THelloFrame,
  type TServerInfo,
  toStorableEvent,
  ZAgentFrame,
} from "@lunar/shared";
import type pino from "pino";
import type WebSocket from "ws";
import type { QueuedResult } from "../ingest/ingest-queue";
import type { GatewayMetrics } from "../metrics";
import { closeReason } from "./close-reason";
import { describeFrameType } from "./describe-frame-type";
import { validateEvent } from "./validate-event";

/** Past this many unsent bytes to an agent, it is not reading: close it rather than buffer. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface ConnectionHooks {
  onHello(connection: AgentConnection, hello: THelloFrame): Promise<void>;
  /** After welcome went out: send the flows snapshot. */
  onReady(connection: AgentConnection): Promise<void>;
  /** Queues valid events (synchronously: a drain must find every read batch queued). */
  onEvents(
    connection: AgentConnection,
    events: TAgentEvent[],
    bytes: number,
  ): Promise<QueuedResult>;
  onServers(connection: AgentConnection, servers: TServerInfo[]): Promise<void>;
  onFlowsApplied(connection: AgentConnection, version: number): void;
  /** The agent's spool dropped `count` events since its last report (it was full). */
  onSpoolDropped(connection: AgentConnection, count: number): void;
  onClose(connection: AgentConnection): void;
  /** Milliseconds to stop reading before accepting `count` more events from this org. */
  throttle(orgId: string, count: number): number;
  /** True while the write queue is full; resolves when there is room again. */
  queueFull(): boolean;
  whenQueueHasSpace(): Promise<void>;
}

/**
 * One agent's WebSocket: hello first (with version negotiation), then event batches acked after
 * commit, servers updates, flows pushes and heartbeats. Bad frames get an error frame and the
 * connection goes on; a flood of them, a missing hello or a consumer that stops reading closes it
 * with a documented code. Reading pauses while the org is over its rate, the write queue is full,
 * or this agent has MAX_IN_FLIGHT_BATCHES batches waiting for their ack. Every handler runs
 * inside a fault boundary: an unexpected error closes this connection with 1011 and is logged
 * with the connection's id; the process and every other connection go on.
 */
export class AgentConnection {
  readonly id = randomUUID();
  agentId: string | null = null;
  /** Counted in the connected-agents gauge (its hello was recorded). */
  counted = false;
  private inFlight = 0;
  private badFrames: number[] = [];
  private pauses = new Set<string>();
  private alive = true;
  private accepting = true;
  /** Acks go out in the order their batches were read, whatever order they commit in. */
  private ackTail: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly helloTimer: NodeJS.Timeout;
  private heartbeat: NodeJS.Timeout | undefined;
  private resolveClosed: () => void = () => {};
  /** Resolves when the socket is closed (handshake done or cut off). */
  readonly whenClosed = new Promise<void>((resolve) => {
    this.resolveClosed = resolve;
  });

  constructor(
    private readonly socket: WebSocket,
    readonly orgId: string,
    readonly keyId: string,
    private readonly hooks: ConnectionHooks,
    private readonly log: pino.Logger,
    private readonly metrics: GatewayMetrics,
  ) {
    this.helloTimer = setTimeout(
      () => this.close(CLOSE_CODES.helloTimeout, "no hello received"),
      HELLO_TIMEOUT_MS,
    );
    socket.on("message", (data, isBinary) =>
      this.guard(() => this.onMessage(data, isBinary), "message"),
    );
    socket.on("pong", () => {
      this.alive = true;
    });
    socket.on("close", () => this.onSocketClosed());
    socket.on("error", (error) => this.log.debug({ err: error }, "agent socket error"));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(frame: TGatewayFrame): void {
    if (this.closed) return;
    this.socket.send(JSON.stringify(frame));
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CLOSE_CODES.slowConsumer, "the agent is not reading what the gateway sends");
    }
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.log.info(
      { code, reason, agentId: this.agentId, connectionId: this.id },
      "closing agent connection",
    );
    try {
      this.socket.close(code, closeReason(reason));
    } catch (error) {
      this.log.warn({ err: error, connectionId: this.id }, "close failed; terminating");
      this.socket.terminate();
    }
    // A peer that never completes the closing handshake is cut off.
    setTimeout(() => this.socket.terminate(), 2_000).unref();
  }

  /**
   * The fault boundary of this connection: runs a handler and turns anything it throws, now or
   * later, into a logged close with 1011 instead of an unhandled error.
   */
  guard(handler: () => unknown, where: string): void {
    try {
      const result = handler();
      if (result instanceof Promise) result.catch((error: unknown) => this.fault(error, where));
    } catch (error) {
      this.fault(error, where);
    }
  }

  /**
   * SIGTERM drain: stop reading, and ignore frames the WebSocket had already read but not yet
   * handed over (never stored, never acked: the agent resends them to the next gateway).
   */
  stopAccepting(): void {
    this.accepting = false;
    this.pauseReading("shutdown");
  }

  /** Resolves when every batch this connection handed over has been acked (drain). */
  whenAcked(): Promise<void> {
    return this.ackTail;
  }

  pauseReading(reason: string): void {
    this.pauses.add(reason);
    this.socket.pause();
  }

  resumeReading(reason: string): void {
    this.pauses.delete(reason);
    if (this.pauses.size === 0 && !this.closed) this.socket.resume();
  }

  private async onMessage(data: WebSocket.RawData, isBinary: boolean): Promise<void> {
    if (this.closed || !this.accepting) return;
    if (isBinary) return this.badFrame("invalid_frame", "Frames must be JSON text", null);
    const bytes = byteLengthOf(data);
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      return this.badFrame("malformed_json", "The frame is not valid JSON", null);
    }
    const type = (parsed as { type?: unknown } | null)?.type;
    const frame = ZAgentFrame.safeParse(parsed);
    if (!frame.success) {
      const known = ["hello", "events", "servers", "flows_applied", "ping", "spool_dropped"];
      if (typeof type !== "string" || !known.includes(type)) {
        return this.badFrame(
          "unknown_frame_type",
          `Unknown frame type ${describeFrameType(type)}`,
          null,
        );
      }
      const issue = frame.error.issues[0];
      const where = issue?.path.join(".") || "frame";
      return this.badFrame(
        "invalid_frame",
        `${where}: ${issue?.message ?? "invalid"}`,
        seqOf(parsed),
      );
    }
    const value = frame.data;
    if (value.type === "hello") return this.onHello(value);
    if (this.agentId === null) {
      this.send(errorFrame("hello_required", "Send hello before anything else", null));
      return this.close(CLOSE_CODES.badFrames, "hello required first");
    }
    if (value.type === "events") return this.onEvents(value, bytes);
    if (value.type === "servers") return void (await this.hooks.onServers(this, value.servers));
    if (value.type === "flows_applied") return this.hooks.onFlowsApplied(this, value.version);
    if (value.type === "spool_dropped") return this.hooks.onSpoolDropped(this, value.count);
    this.send({ type: "pong", ts: value.ts });
  }

  private async onHello(hello: THelloFrame): Promise<void> {
    if (this.agentId !== null)
      return this.badFrame("duplicate_hello", "hello was already received", null);
    clearTimeout(this.helloTimer);
    const spoken = hello.protocols.filter((v) =>
      (SUPPORTED_PROTOCOL_VERSIONS as readonly number[]).includes(v),
    );
    if (spoken.length === 0) {
      return this.close(
        CLOSE_CODES.unsupportedProtocol,
        `protocol versions ${hello.protocols.join(",")} not supported; this gateway speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(",")}`,
      );
    }
    this.agentId = hello.agentId;
    await this.hooks.onHello(this, hello);
    this.send({
      type: "welcome",
      protocol: Math.max(...spoken),
      orgId: this.orgId,
      connectionId: this.id,
      limits: {
        maxFrameBytes: MAX_FRAME_BYTES,
        maxEventsPerBatch: MAX_EVENTS_PER_BATCH,
        maxInFlightBatches: MAX_IN_FLIGHT_BATCHES,
        heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
      },
    });
    this.heartbeat = setInterval(() => this.checkAlive(), HEARTBEAT_INTERVAL_MS);
    await this.hooks.onReady(this);
  }

  private onEvents(frame: TEventsFrame, bytes: number): void {
    const valid: TAgentEvent[] = [];
    /** Frame index of each valid event, to name refused ones in the ack. */
    const positions: number[] = [];
    const rejected: TAckFrame["rejected"] = [];
    frame.events.forEach((raw, index) => {
      const checked = validateEvent(raw);
      if (checked.ok) {
        // Repaired, not refused: a hostile MCP server's tool name must not cost the event.
        valid.push(toStorableEvent(checked.event));
        positions.push(index);
      } else rejected.push({ index, id: idOf(raw), reason: checked.reason });
    });
    this.metrics.eventsRejected.inc(rejected.length);
    let pending: Promise<QueuedResult> = Promise.resolve({ stored: 0, duplicates: 0, refused: [] });
    if (valid.length > 0) {
      this.applyBackpressure(valid.length);
      this.inFlight++;
      if (this.inFlight >= MAX_IN_FLIGHT_BATCHES) this.pauseReading("in-flight");
      pending = this.hooks.onEvents(this, valid, bytes).finally(() => {
        this.inFlight--;
        this.resumeReading("in-flight");
      });
    }
    this.ackTail = this.ackTail
      .then(() => pending)
      .then((result) => {
        for (const { position, reason } of result.refused) {
          rejected.push({
            index: positions[position] as number,
            id: (valid[position] as TAgentEvent).id,
            reason: `not storable: ${reason}`.slice(0, 500),
          });
        }
        this.metrics.eventsRejected.inc(result.refused.length);
        rejected.sort((a, b) => a.index - b.index);
        this.send({
          type: "ack",
          seq: frame.seq,
          stored: result.stored,
          duplicates: result.duplicates,
          rejected,
        });
      })
      .catch((error: unknown) => this.fault(error, "ack"));
  }

  private applyBackpressure(count: number): void {
    const waitMs = this.hooks.throttle(this.orgId, count);
    if (waitMs > 0) {
      this.pauseReading("rate");
      setTimeout(() => this.resumeReading("rate"), waitMs).unref();
    }
    if (this.hooks.queueFull() && !this.pauses.has("queue")) {
      this.pauseReading("queue");
      void this.hooks.whenQueueHasSpace().then(() => this.resumeReading("queue"));
    }
  }

  private fault(error: unknown, where: string): void {
    this.metrics.connectionFaults.inc();
    this.log.error(
      { err: error, where, connectionId: this.id, orgId: this.orgId, agentId: this.agentId },
      "agent connection handler failed; closing the connection",
    );
    this.close(CLOSE_CODES.internalError, "internal error; reconnect");
  }

  private badFrame(code: TErrorFrame["code"], message: string, seq: number | null): void {
    this.metrics.rejectedFrames.inc({ reason: code });
    this.send(errorFrame(code, message, seq));
    const now = Date.now();
    this.badFrames = this.badFrames.filter((t) => now - t < 60_000);
    this.badFrames.push(now);
    if (this.badFrames.length > MAX_BAD_FRAMES_PER_MINUTE) {
      this.close(CLOSE_CODES.badFrames, "too many invalid frames");
    }
  }

  private checkAlive(): void {
    // While we are not reading this socket (backpressure), its pongs cannot arrive: a missed
    // pong then says nothing about the agent, and must not cut a connection we chose to slow.
    if (this.pauses.size > 0) {
      this.alive = true;
      return;
    }
    if (!this.alive) {
      this.log.info({ agentId: this.agentId }, "agent missed its heartbeat; dropping");
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  private onSocketClosed(): void {
    this.closed = true;
    this.resolveClosed();
    clearTimeout(this.helloTimer);
    clearInterval(this.heartbeat);
    this.hooks.onClose(this);
  }
}

function errorFrame(code: TErrorFrame["code"], message: string, seq: number | null): TErrorFrame {
  // Messages quote what the agent sent (unknown keys, say): bounded so an error is never large.
  return { type: "error", code, message: message.slice(0, 500), seq };
}

function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id.slice(0, 64) : null;
}

function byteLengthOf(data: WebSocket.RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data.byteLength;
}

function seqOf(frame: unknown): number | null {
  const seq = (frame as { seq?: unknown } | null)?.seq;
  return typeof seq === "number" && Number.isInteger(seq) ? seq : null;
}
