import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type {
  RequestHandlerExtra,
  RequestOptions,
} from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  type ClientCapabilities,
  ErrorCode,
  type LoggingLevel,
  type LoggingMessageNotification,
  McpError,
  type ServerNotification,
  type ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";

/** One connected MCP client: the aggregate server that serves it, and what it asked for. */
export interface ClientSession {
  server: Server;
  /** The level this client set with logging/setLevel (none: it gets every message). */
  logLevel?: LoggingLevel;
}

type CallExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

interface CallInFlight {
  session: ClientSession;
  /** The upstream server the call went to. */
  server: string;
  extra: CallExtra;
}

/** What a server may ask of a client, and the client capability that says it can answer. */
export type RelayedCapability = "sampling" | "elicitation" | "roots";

const LEVELS: LoggingLevel[] = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
];
/** How long a client may take to answer a server's request (a person may be answering it). */
const CLIENT_ANSWER_TIMEOUT_MS = 10 * 60_000;

/**
 * The way back from the servers to the clients. The agent has one MCP client per server, shared
 * by every client session, so whatever a server sends on its own (a request for sampling,
 * elicitation or roots, a log message, a resource update) is routed here: to the client session
 * whose call is in flight on that server (on that call's stream, so a Streamable HTTP client
 * gets it on the POST it is reading), else to any connected client that can take it.
 */
export class ClientRelay {
  private readonly sessions = new Set<ClientSession>();
  private readonly calls = new Set<CallInFlight>();
  /** uri → the sessions subscribed to it. */
  private readonly subscribers = new Map<string, Set<ClientSession>>();
  private readonly levelListeners = new Set<(level: LoggingLevel) => void>();

  addSession(session: ClientSession): () => void {
    this.sessions.add(session);
    return () => {
      this.sessions.delete(session);
      for (const call of this.calls) if (call.session === session) this.calls.delete(call);
      for (const [uri, sessions] of this.subscribers) {
        sessions.delete(session);
        if (sessions.size === 0) this.subscribers.delete(uri);
      }
    };
  }

  /** Marks a request of `session` as running on `server` until the returned function is called. */
  beginCall(session: ClientSession, server: string, extra: CallExtra): () => void {
    const call = { session, server, extra };
    this.calls.add(call);
    return () => this.calls.delete(call);
  }

  /** A request from server `server` for a client: sampling, elicitation or roots. */
  async requestFromClient<T extends z.ZodType>(
    server: string,
    capability: RelayedCapability,
    request: ServerRequest,
    resultSchema: T,
    options: RequestOptions = {},
  ): Promise<z.infer<T>> {
    const able = (session: ClientSession) =>
      canAnswer(session.server.getClientCapabilities(), capability, request);
    const requestOptions = { timeout: CLIENT_ANSWER_TIMEOUT_MS, ...options };
    const calls = [...this.calls].reverse();
    const call =
      calls.find((c) => c.server === server && able(c.session)) ??
      calls.find((c) => able(c.session));
    if (call) return call.extra.sendRequest(request, resultSchema, requestOptions);
    const session = [...this.sessions].reverse().find(able);
    if (session) return session.server.request(request, resultSchema, requestOptions);
    throw new McpError(
      ErrorCode.InvalidRequest,
      `No MCP client connected to the agent can answer ${request.method}: none declares the ${capability}${
        capability === "elicitation" && request.method === "elicitation/create"
          ? ` (${(request.params as { mode?: string }).mode ?? "form"} mode)`
          : ""
      } capability`,
    );
  }

  /** A server's log message, to every client whose level lets it through. */
  log(server: string, params: LoggingMessageNotification["params"]): void {
    const notification = {
      method: "notifications/message" as const,
      params: { ...params, logger: params.logger ?? server },
    };
    const reached = new Set<ClientSession>();
    for (const call of this.calls) {
      if (call.server !== server || reached.has(call.session)) continue;
      reached.add(call.session);
      if (passes(call.session, params.level))
        void call.extra.sendNotification(notification).catch(() => {});
    }
    for (const session of this.sessions) {
      if (reached.has(session) || !session.server.transport || !passes(session, params.level))
        continue;
      void session.server.notification(notification).catch(() => {});
    }
  }

  /** logging/setLevel from a client: the servers get the most verbose level any client set. */
  setLogLevel(session: ClientSession, level: LoggingLevel): LoggingLevel {
    session.logLevel = level;
    const upstream = this.upstreamLogLevel() ?? level;
    for (const listener of this.levelListeners) listener(upstream);
    return upstream;
  }

  upstreamLogLevel(): LoggingLevel | undefined {
    let most: number | undefined;
    for (const session of this.sessions) {
      if (!session.logLevel) continue;
      const rank = LEVELS.indexOf(session.logLevel);
      most = most === undefined ? rank : Math.min(most, rank);
    }
    return most === undefined ? undefined : LEVELS[most];
  }

  onLogLevel(listener: (level: LoggingLevel) => void): () => void {
    this.levelListeners.add(listener);
    return () => this.levelListeners.delete(listener);
  }

  /** Returns true when `uri` had no subscriber before (the server must be asked to subscribe). */
  subscribe(session: ClientSession, uri: string): boolean {
    let sessions = this.subscribers.get(uri);
    const first = !sessions;
    if (!sessions) {
      sessions = new Set();
      this.subscribers.set(uri, sessions);
    }
    sessions.add(session);
    return first;
  }

  /** Returns true when the last subscriber of `uri` left (the server may be told). */
  unsubscribe(session: ClientSession, uri: string): boolean {
    const sessions = this.subscribers.get(uri);
    if (!sessions?.delete(session)) return false;
    if (sessions.size > 0) return false;
    this.subscribers.delete(uri);
    return true;
  }

  subscribedUris(): string[] {
    return [...this.subscribers.keys()];
  }

  resourceUpdated(uri: string): void {
    for (const session of this.subscribers.get(uri) ?? []) {
      if (session.server.transport)
        void session.server.sendResourceUpdated({ uri }).catch(() => {});
    }
  }
}

function passes(session: ClientSession, level: LoggingLevel): boolean {
  if (!session.logLevel) return true;
  return LEVELS.indexOf(level) >= LEVELS.indexOf(session.logLevel);
}

function canAnswer(
  capabilities: ClientCapabilities | undefined,
  capability: RelayedCapability,
  request: ServerRequest,
): boolean {
  const declared = capabilities?.[capability];
  if (!declared) return false;
  if (request.method !== "elicitation/create") return true;
  const mode = (request.params as { mode?: string }).mode ?? "form";
  const modes = declared as { form?: object; url?: object };
  // An empty elicitation capability means form mode (clients from before url mode).
  if (mode === "form") return Boolean(modes.form) || (!modes.form && !modes.url);
  return Boolean(modes.url);
}
