import {
  agentWebSocketUrl,
  MAX_SERVERS_PER_AGENT,
  SUPPORTED_PROTOCOL_VERSIONS,
  type TAckFrame,
  type TAgentEvent,
  type TErrorFrame,
  type TFlowsFrame,
  type TGatewayFrame,
  type TServerInfo,
  type TWelcomeFrame,
  toStorableServers,
  toStorableText,
  ZServerInfo,
} from "@lunar/shared";
import type pino from "pino";
import { type ConnectionOutcome, nextStepAfter } from "./disconnect-policy";
import type { EventSpool, SpoolStats } from "./event-spool";
import { GatewaySession } from "./gateway-session";
import {
  authRejectedDelay,
  type BackoffOptions,
  DEFAULT_BACKOFF,
  ReconnectBackoff,
} from "./reconnect-backoff";
import { SendWindow } from "./send-window";

/** A connection that stayed up this long was healthy: the next failure backs off from scratch. */
const STABLE_CONNECTION_MS = 30_000;

export interface GatewayReporterOptions {
  /** LUNAR_GATEWAY_URL: the gateway's base URL (http(s) or ws(s)). */
  gatewayUrl: string;
  /** LUNAR_API_KEY. */
  apiKey: string;
  agentId: string;
  name: string;
  version: string;
  spool: EventSpool;
  log: pino.Logger;
  /** The MCP servers to announce in hello and in `servers` frames. */
  servers: () => readonly TServerInfo[];
  /** The flows version the agent enforces now (null: none). */
  flowsVersion: () => number | null;
  /** Every `flows` frame (snapshot after welcome, then updates), passed on untouched. */
  onFlows?: (frame: TFlowsFrame) => void;
  backoff?: Partial<BackoffOptions>;
  /** Milliseconds between retries after an HTTP 401 (jittered ±25 %); default one minute. */
  authRetryMs?: number;
  handshakeTimeoutMs?: number;
  /** Time from hello to welcome before the attempt is abandoned. */
  welcomeTimeoutMs?: number;
  /** Silence from the gateway (it pings every 15 s) after which the connection is presumed dead. */
  idleTimeoutMs?: number;
}

export type ReporterState = "idle" | "connecting" | "connected" | "waiting" | "stopped";

export interface ReporterStatus {
  state: ReporterState;
  connected: boolean;
  /** The WebSocket URL (never the key). */
  url: string;
  /** Why the last attempt failed or the reporter stopped; cleared on welcome. */
  lastError: string | null;
  lastAckAt: number | null;
  /** When the next connection attempt is due, while waiting. */
  nextAttemptAt: number | null;
  connectAttempts: number;
  inFlightBatches: number;
  eventsAcked: number;
  eventsRejected: number;
  spool: SpoolStats;
}

/**
 * Reports the agent's events to a gateway over protocol v1 (docs/PROTOCOL.md): every event goes
 * to the disk spool first; while connected, spooled events stream out in batches (a SendWindow of
 * at most MAX_IN_FLIGHT_BATCHES unacked) and are deleted from the spool when acked. A lost connection
 * puts its unacked events back and reconnects with jittered backoff; a revoked key, a replacement
 * by another process or an unsupported protocol stops it, with the reason in `status()`.
 */
export class GatewayReporter {
  readonly url: string;
  private readonly backoff: ReconnectBackoff;
  private readonly random: () => number;
  private session: GatewaySession | null = null;
  private welcomedAt: number | null = null;
  private welcomeTimer: NodeJS.Timeout | undefined;
  private readonly window: SendWindow;
  /** A spool_dropped report awaiting the pong that proves the gateway read it. */
  private dropReport: { count: number; pingTs: number } | null = null;
  private pingCounter = 0;
  private state: ReporterState = "idle";
  private lastError: string | null = null;
  private lastAckAt: number | null = null;
  private nextAttemptAt: number | null = null;
  private connectAttempts = 0;
  private eventsAcked = 0;
  private eventsRejected = 0;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private cancelWait: (() => void) | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: GatewayReporterOptions) {
    this.url = agentWebSocketUrl(options.gatewayUrl);
    this.random = options.backoff?.random ?? Math.random;
    this.backoff = new ReconnectBackoff({
      ...DEFAULT_BACKOFF,
      ...options.backoff,
      random: this.random,
    });
    this.window = new SendWindow(
      options.spool,
      () => (this.welcomedAt === null ? null : this.session),
      options.log,
    );
  }

  /** Starts connecting (and reconnecting) in the background. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Spools the event; it is sent as soon as it is on disk and the connection has room. */
  record(event: TAgentEvent): void {
    this.options.spool.append([event]).then(
      () => this.window.pump(),
      (error) => this.options.log.warn({ err: error }, "event not spooled"),
    );
  }

  /** The MCP servers changed (config reload): tell the gateway now if connected. */
  serversChanged(): void {
    if (this.welcomedAt !== null) this.session?.send({ type: "servers", servers: this.servers() });
  }

  /** The agent now enforces this flows version. (While disconnected, the next hello says it.) */
  flowsApplied(version: number): void {
    if (this.welcomedAt !== null) this.session?.send({ type: "flows_applied", version });
  }

  status(): ReporterStatus {
    return {
      state: this.state,
      connected: this.state === "connected",
      url: this.url,
      lastError: this.lastError,
      lastAckAt: this.lastAckAt,
      nextAttemptAt: this.nextAttemptAt,
      connectAttempts: this.connectAttempts,
      inFlightBatches: this.window.size,
      eventsAcked: this.eventsAcked,
      eventsRejected: this.eventsRejected,
      spool: this.options.spool.stats(),
    };
  }

  /** Called after every change of `status()` (state, ack, error). Returns an unsubscribe. */
  onStatusChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the reporter has stopped for good (stop(), or a close code that means stop). */
  async stopped(): Promise<void> {
    await this.loop;
  }

  /** Closes the connection; unacked events stay in the spool (the caller closes the spool). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.cancelWait?.();
    this.session?.close(1000, "agent stopping");
    await this.loop;
    this.setState("stopped");
  }

  // ---- connection loop ----

  private async run(): Promise<void> {
    let previousError: string | null = null;
    while (!this.stopping) {
      const outcome = await this.connectOnce();
      const connectedFor = this.welcomedAt === null ? 0 : Date.now() - this.welcomedAt;
      this.disconnected();
      if (this.stopping) break;
      const step = nextStepAfter(outcome);
      if (step.error !== null) this.lastError = step.error;
      if (step.action === "stop") {
        this.options.log.error({ outcome }, step.error);
        break;
      }
      if (connectedFor >= STABLE_CONNECTION_MS) this.backoff.reset();
      const delay =
        step.wait === "auth"
          ? authRejectedDelay(this.random, this.options.authRetryMs)
          : this.backoff.next();
      // The same failure every 30 s for hours (gateway down) is worth one warning, not hundreds.
      const repeated = step.error !== null && step.error === previousError;
      this.options.log[repeated ? "debug" : "warn"](
        { outcome, retryInMs: delay },
        step.error ?? "gateway connection closed; reconnecting",
      );
      previousError = step.error;
      this.nextAttemptAt = Date.now() + delay;
      this.setState("waiting");
      await this.wait(delay);
      this.nextAttemptAt = null;
    }
    this.setState("stopped");
  }

  private connectOnce(): Promise<ConnectionOutcome> {
    this.connectAttempts++;
    this.setState("connecting");
    const session: GatewaySession = new GatewaySession({
      url: this.url,
      apiKey: this.options.apiKey,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs ?? 15_000,
      idleTimeoutMs: this.options.idleTimeoutMs ?? 60_000,
      log: this.options.log,
      onOpen: () => this.sayHello(session),
      onFrame: (frame) => {
        if (session === this.session) this.onFrame(frame);
      },
    });
    this.session = session;
    return session.ended;
  }

  private sayHello(session: GatewaySession): void {
    session.send({
      type: "hello",
      protocols: [...SUPPORTED_PROTOCOL_VERSIONS],
      agentId: this.options.agentId,
      name: toStorableText(this.options.name, 128),
      version: toStorableText(this.options.version, 64),
      servers: this.servers(),
      flowsVersion: this.options.flowsVersion(),
    });
    const timeoutMs = this.options.welcomeTimeoutMs ?? 15_000;
    this.welcomeTimer = setTimeout(
      () => session.terminate(`no welcome within ${timeoutMs} ms of hello`),
      timeoutMs,
    );
  }

  /** The connection is gone: what was in flight goes back to the spool, to be sent again. */
  private disconnected(): void {
    clearTimeout(this.welcomeTimer);
    this.window.releaseAll();
    this.session = null;
    this.welcomedAt = null;
    this.dropReport = null;
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.cancelWait = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.cancelWait = done;
    });
  }

  // ---- frames from the gateway ----

  private onFrame(frame: TGatewayFrame): void {
    if (frame.type === "welcome") this.onWelcome(frame);
    else if (frame.type === "ack") this.onAck(frame);
    else if (frame.type === "flows") this.onFlows(frame);
    else if (frame.type === "error") this.onError(frame);
    else this.onPong(frame.ts);
  }

  private onWelcome(welcome: TWelcomeFrame): void {
    clearTimeout(this.welcomeTimer);
    this.window.useLimitsOf(welcome);
    this.welcomedAt = Date.now();
    this.lastError = null;
    this.options.log.info(
      { url: this.url, connectionId: welcome.connectionId },
      "gateway connected",
    );
    this.setState("connected");
    this.reportDrops();
    this.window.pump();
  }

  /** Stored, duplicate and rejected events alike are done: none of them is ever sent again. */
  private onAck(ack: TAckFrame): void {
    const ids = this.window.acked(ack.seq);
    if (!ids) {
      this.options.log.warn({ seq: ack.seq }, "ack for a batch this connection did not send");
      return;
    }
    if (ack.rejected.length > 0) {
      this.eventsRejected += ack.rejected.length;
      this.options.log.warn(
        { count: ack.rejected.length, first: ack.rejected[0] },
        "the gateway rejected invalid events; they are dropped from the spool",
      );
    }
    this.eventsAcked += ids.length;
    this.lastAckAt = Date.now();
    this.options.spool
      .ack(ids)
      .catch((error) => this.options.log.warn({ err: error }, "could not record an ack"));
    this.notify();
    this.reportDrops();
    this.window.pump();
  }

  private onFlows(frame: TFlowsFrame): void {
    try {
      this.options.onFlows?.(frame);
    } catch (error) {
      this.options.log.error({ err: error, version: frame.version }, "flows handler failed");
    }
  }

  private onError(frame: TErrorFrame): void {
    this.options.log.error({ frame }, "the gateway refused a frame");
    this.lastError = `the gateway refused a frame: ${frame.code}: ${frame.message}`;
    // A refused events frame stored nothing and will not be acked: send its events again later.
    if (frame.seq !== null) this.window.refused(frame.seq);
    this.notify();
  }

  // ---- drop reports ----

  /**
   * Tells the gateway how many events the spool dropped since the last report. The ping after it
   * is the receipt: the gateway reads frames in order, so its pong means the report was read.
   */
  private reportDrops(): void {
    if (this.welcomedAt === null || this.dropReport !== null || !this.session) return;
    const count = this.options.spool.stats().unreportedDrops;
    if (count <= 0) return;
    const pingTs = ++this.pingCounter;
    this.session.send({ type: "spool_dropped", count });
    this.session.send({ type: "ping", ts: pingTs });
    this.dropReport = { count, pingTs };
  }

  private onPong(ts: number): void {
    const report = this.dropReport;
    if (!report || report.pingTs !== ts) return;
    this.dropReport = null;
    this.options.spool
      .markDropsReported(report.count)
      .then(() => {
        this.notify();
        this.reportDrops();
      })
      .catch((error) => this.options.log.warn({ err: error }, "could not record drops reported"));
  }

  private servers(): TServerInfo[] {
    const servers = toStorableServers([...this.options.servers()]).filter((server) => {
      const valid = ZServerInfo.safeParse(server).success;
      if (!valid) this.options.log.warn({ server }, "not announcing an invalid server entry");
      return valid;
    });
    return servers.slice(0, MAX_SERVERS_PER_AGENT);
  }

  private setState(state: ReporterState): void {
    this.state = state;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
