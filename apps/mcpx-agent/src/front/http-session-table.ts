import type { ServerResponse } from "node:http";

/**
 * How long a session may sit with no request open before it is closed, and how many sessions
 * may be live at once. Each session holds an MCP server, its transport and per-session tool-name
 * maps (~31 KB), and the SDK's client does not send DELETE when it closes, so without both
 * limits abandoned sessions pile up for the life of the process.
 */
export interface HttpSessionLimits {
  idleTimeoutMs: number;
  maxSessions: number;
}

export const DEFAULT_HTTP_SESSION_LIMITS: HttpSessionLimits = {
  idleTimeoutMs: 10 * 60_000,
  maxSessions: 100,
};

/** Where idle timeouts are scheduled: real timers, or a clock a test moves by hand. */
export interface IdleTimers {
  /** Calls `callback` after `ms`; the returned function cancels it. */
  start(callback: () => void, ms: number): () => void;
}

export const REAL_IDLE_TIMERS: IdleTimers = {
  start(callback, ms) {
    const timer = setTimeout(callback, ms);
    // An idle session must not keep the process alive.
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** Why a session ended: the client's DELETE, idleness, eviction to make room, or shutdown. */
export type SessionEndReason = "deleted" | "idle" | "evicted" | "shutdown" | "not initialized";

export type SessionChange =
  | { kind: "started"; id: string; live: number }
  /** Its first request opened after none was (`active`), or its last one closed (`idle`). */
  | { kind: "active" | "idle"; id: string; live: number }
  | { kind: "ended"; id: string; reason: SessionEndReason; live: number };

/** What the table needs of a session: a way to release it (its server, transport, listeners). */
export interface SessionResources {
  close(): Promise<void>;
}

interface LiveSession<T> {
  id: string;
  resources: T;
  /** Requests of this session whose response has not closed (a GET stream, a long tool call). */
  openRequests: number;
  /** When its last request closed (performance.now()); the eviction order among idle ones. */
  idleSince: number;
  cancelIdleTimer: (() => void) | null;
}

/**
 * The live MCP sessions of the HTTP front. A session with a request open (including the GET
 * stream a connected client keeps for notifications, and a tool call of any length) is in use
 * and never closed; one with none open for `idleTimeoutMs` is closed. At `maxSessions`, a new
 * session takes the place of the least recently used idle one; when every session is in use,
 * `makeRoom` says no and the front answers 503.
 */
export class HttpSessionTable<T extends SessionResources = SessionResources> {
  private readonly sessions = new Map<string, LiveSession<T>>();
  private readonly listeners = new Set<(change: SessionChange) => void>();

  constructor(
    private readonly limits: HttpSessionLimits,
    private readonly timers: IdleTimers = REAL_IDLE_TIMERS,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  has(id: string): boolean {
    return this.sessions.has(id);
  }

  /** True while the session has a request open (it is then never closed for idleness). */
  inUse(id: string): boolean {
    return (this.sessions.get(id)?.openRequests ?? 0) > 0;
  }

  /** Called on every change: start, end, first request opened, last request closed. */
  onChange(listener: (change: SessionChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Frees a place for one more session if needed; false when every session is in use. */
  makeRoom(): boolean {
    if (this.sessions.size < this.limits.maxSessions) return true;
    let oldest: LiveSession<T> | undefined;
    for (const session of this.sessions.values()) {
      if (session.openRequests > 0) continue;
      if (!oldest || session.idleSince < oldest.idleSince) oldest = session;
    }
    if (!oldest) return false;
    void this.end(oldest.id, "evicted");
    return true;
  }

  /** A new session, with its first request (`response`) open. */
  add(id: string, resources: T, response: ServerResponse): void {
    const session: LiveSession<T> = {
      id,
      resources,
      openRequests: 0,
      idleSince: performance.now(),
      cancelIdleTimer: null,
    };
    this.sessions.set(id, session);
    this.emit({ kind: "started", id, live: this.sessions.size });
    this.track(session, response);
  }

  /** The session's resources, its request `response` counted open until it closes. */
  use(id: string, response: ServerResponse): T | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    this.track(session, response);
    return session.resources;
  }

  /**
   * Removes the session and releases its resources. Idempotent: a session closed by its
   * transport (DELETE) reports here too, after the table already ended it, or before.
   */
  async end(id: string, reason: SessionEndReason): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    session.cancelIdleTimer?.();
    this.emit({ kind: "ended", id, reason, live: this.sessions.size });
    await session.resources.close().catch(() => {});
  }

  async endAll(reason: SessionEndReason): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.end(id, reason)));
  }

  private track(session: LiveSession<T>, response: ServerResponse): void {
    session.cancelIdleTimer?.();
    session.cancelIdleTimer = null;
    if (session.openRequests++ === 0) this.emitFor(session, "active");
    response.once("close", () => {
      if (--session.openRequests > 0) return;
      session.idleSince = performance.now();
      if (this.sessions.get(session.id) !== session) return;
      session.cancelIdleTimer = this.timers.start(
        () => void this.end(session.id, "idle"),
        this.limits.idleTimeoutMs,
      );
      this.emitFor(session, "idle");
    });
  }

  private emitFor(session: LiveSession<T>, kind: "active" | "idle"): void {
    this.emit({ kind, id: session.id, live: this.sessions.size });
  }

  private emit(change: SessionChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
