import { type BackoffPolicy, nextBackoffMs } from "@lunar/shared";
import { auth, UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type pino from "pino";
import type { ClientRelay } from "../aggregator/client-relay";
import { isStdio, type TServerConfig } from "../config/mcp-config-schema";
import { type ConnectOptions, connectUpstream } from "./connect-upstream";
import { connectionLost } from "./connection-lost";
import type { FileOAuthProvider } from "./oauth/file-oauth-provider";
import type { OAuthBroker } from "./oauth/oauth-broker";
import { readCatalog } from "./read-catalog";
import { relayServerRequests } from "./relay-server-requests";
import {
  type CatalogKind,
  type UpstreamCatalog,
  type UpstreamState,
  type UpstreamStatus,
  UpstreamUnavailableError,
} from "./upstream-status";

export * from "./upstream-status";

/** Full jitter: each wait anywhere up to the doubling delay, so restarted servers spread out. */
const BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000, jitter: 1 };

/** A connection that lasted this long resets the backoff: the next crash restarts quickly. */
const STABLE_AFTER_MS = 30_000;

/**
 * One MCP server behind the agent: connects, keeps its catalogue (tools, resources, prompts)
 * current, and when it fails to start or crashes, restarts it with jittered backoff while the
 * other servers go on. Calls made meanwhile get a clear error from the aggregator.
 */
export class UpstreamServer {
  private state: UpstreamState = "starting";
  private client: Client | undefined;
  private transport: string | null = null;
  private protocolVersion: () => string | null = () => null;
  private pid: number | null = null;
  private restarts = 0;
  private attempt = 0;
  /** Failed connection attempts since the server was last ready. */
  private failedAttempts = 0;
  private restartReason: string | null = null;
  private authorizationUrl: string | null = null;
  private lastError: string | null = null;
  private connectedAt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly callsInFlight = new Set<string>();
  private settleFirstAttempt: () => void = () => {};
  private readonly stateListeners = new Set<() => void>();
  /** Resolves once the first start attempt ended, ready or failed (lists wait for it). */
  readonly firstAttempt = new Promise<void>((resolve) => {
    this.settleFirstAttempt = resolve;
  });
  catalog: UpstreamCatalog = { tools: [], resources: [], resourceTemplates: [], prompts: [] };

  constructor(
    readonly name: string,
    readonly config: TServerConfig,
    private readonly options: {
      log: pino.Logger;
      /** Per start: e.g. the egress proxy's environment for a spawned server. */
      prepareConnect?: () => Promise<ConnectOptions>;
      /** The catalogue changed (connected, crashed, or the server said list_changed). */
      onCatalogChanged: (kinds: CatalogKind[]) => void;
      /** Where the server's own requests and notifications for clients go. */
      relay?: ClientRelay;
      /** Checked before the server is offered: a message refuses it (state `failed`). */
      vet?: (server: UpstreamServer) => string | null;
      /** Connected and catalogued (re-apply log level and subscriptions here). */
      onReady?: (server: UpstreamServer, client: Client) => Promise<void>;
      /** OAuth for remote servers that require it (those without an Authorization header). */
      oauth?: OAuthBroker;
    },
  ) {}

  start(): void {
    void this.connect();
  }

  get isReady(): boolean {
    return this.state === "ready" && this.client !== undefined;
  }

  get currentState(): UpstreamState {
    return this.state;
  }

  /** The connected client, or an error saying why there is none right now. */
  requireClient(): Client {
    if (this.client && this.state === "ready") return this.client;
    throw new UpstreamUnavailableError(this.unavailable());
  }

  /**
   * Runs `use` with the client once the server is ready (see `waitForClient`). When the request
   * finds the connection gone before it reached the server (a remote server that restarted and
   * forgot our session, or refuses connections), waits for the reconnect and runs it once more.
   */
  async useClient<T>(timeoutMs: number, use: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.waitForClient(timeoutMs);
    try {
      return await use(client);
    } catch (error) {
      const lost = connectionLost(error);
      if (!lost?.unsent) throw error;
      this.onLost(client, lost.reason);
      return use(await this.waitForClient(timeoutMs));
    }
  }

  /**
   * The connected client once the server is ready: waits while it is starting or restarting, at
   * most `timeoutMs`, then fails with what it is doing and how long we waited.
   */
  async waitForClient(timeoutMs: number): Promise<Client> {
    if (this.client && this.state === "ready") return this.client;
    if (this.state === "starting" || this.state === "restarting") {
      let timer: NodeJS.Timeout | undefined;
      let listener = () => {};
      await new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        listener = () => {
          if (this.state !== "starting" && this.state !== "restarting") resolve();
        };
        this.stateListeners.add(listener);
      });
      clearTimeout(timer);
      this.stateListeners.delete(listener);
      const now = this.state as UpstreamState;
      if (this.client && now === "ready") return this.client;
      if (now === "starting" || now === "restarting")
        throw new UpstreamUnavailableError(
          `${this.unavailable()}; waited ${formatSeconds(timeoutMs)}`,
        );
    }
    throw new UpstreamUnavailableError(this.unavailable());
  }

  /** Says truthfully why the server cannot take a call now. */
  private unavailable(): string {
    const why =
      this.lastError && this.lastError !== this.restartReason
        ? ` (last error: ${this.lastError})`
        : "";
    switch (this.state) {
      case "starting":
        return `MCP server "${this.name}" is still starting`;
      case "restarting":
        return this.connectedAt === 0
          ? `MCP server "${this.name}" failed to start ${this.restarts} time(s) and is retrying${why}`
          : `MCP server "${this.name}" is restarting after it stopped: ${this.restartReason ?? "lost"}${why}`;
      case "authorizing":
        return `MCP server "${this.name}" needs authorization: open ${this.authorizationUrl}`;
      case "failed":
        return `MCP server "${this.name}" failed: ${this.lastError ?? "refused"}`;
      case "stopped":
        return `MCP server "${this.name}" is stopped`;
      default:
        return `MCP server "${this.name}" is not connected${why}`;
    }
  }

  /** Called after every state change (status output, tests). Returns the unsubscribe. */
  onStateChange(listener: () => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private setState(state: UpstreamState): void {
    this.state = state;
    for (const listener of [...this.stateListeners]) listener();
  }

  /** Tool calls in flight, so outbound calls can be tied to the one that caused them. */
  beginCall(correlationId: string): void {
    this.callsInFlight.add(correlationId);
  }

  endCall(correlationId: string): void {
    this.callsInFlight.delete(correlationId);
  }

  /** The tool call in flight when there is exactly one; with several, attribution would be a guess. */
  currentCorrelationId(): string | null {
    if (this.callsInFlight.size !== 1) return null;
    return this.callsInFlight.values().next().value ?? null;
  }

  status(): UpstreamStatus {
    return {
      name: this.name,
      state: this.state,
      transport: this.transport,
      protocolVersion: this.protocolVersion(),
      pid: this.pid,
      restarts: this.restarts,
      reason: this.restartReason,
      attempts: this.failedAttempts,
      authorizationUrl: this.authorizationUrl,
      lastError: this.lastError,
      tools: this.catalog.tools.length,
    };
  }

  async stop(): Promise<void> {
    this.setState("stopped");
    this.options.oauth?.forget(this.name);
    this.settleFirstAttempt();
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.state === "stopped") return;
    const log = this.options.log.child({ server: this.name });
    let authProvider: FileOAuthProvider | undefined;
    try {
      const prepared = (await this.options.prepareConnect?.()) ?? {};
      const relay = this.options.relay;
      authProvider = await this.oauthProvider();
      const connected = await connectUpstream(this.config, {
        ...prepared,
        authProvider,
        onStderrLine: (line) => log.info({ stderr: line }, "server stderr"),
        relay: relay !== undefined,
        setup: (client) => {
          if (relay) relayServerRequests(this.name, client, relay);
        },
      });
      // stop() may have run while we were connecting.
      if ((this.state as UpstreamState) === "stopped") {
        await connected.client.close().catch(() => {});
        return;
      }
      this.client = connected.client;
      this.transport = connected.transport;
      this.protocolVersion = connected.protocolVersion;
      this.pid = connected.pid;
      this.connectedAt = Date.now();
      const client = connected.client;
      client.onclose = () => this.onLost(client, "the server exited or closed its connection");
      client.onerror = (error) => {
        log.debug({ err: error }, "server transport error");
        if (
          error instanceof UnauthorizedError &&
          authProvider?.pendingUrl &&
          client === this.client
        ) {
          this.dropClient();
          void this.authorize(authProvider, authProvider.pendingUrl);
          return;
        }
        const lost = connectionLost(error);
        if (lost) this.onLost(client, lost.reason);
      };
      this.listenForChanges(connected.client);
      await this.refresh(["tools", "resources", "prompts"], connected.client);
      const refusal = this.options.vet?.(this) ?? null;
      if (refusal) {
        this.lastError = refusal;
        this.catalog = { tools: [], resources: [], resourceTemplates: [], prompts: [] };
        this.client = undefined;
        connected.client.onclose = undefined;
        await connected.client.close().catch(() => {});
        log.error({ reason: refusal }, "server refused");
        this.setState("failed");
        return;
      }
      await this.options.onReady?.(this, connected.client);
      this.lastError = null;
      this.restartReason = null;
      this.failedAttempts = 0;
      this.setState("ready");
      log.info(
        { transport: connected.transport, pid: connected.pid, tools: this.catalog.tools.length },
        "server ready",
      );
      this.options.onCatalogChanged(["tools", "resources", "prompts"]);
    } catch (error) {
      this.dropClient();
      if (error instanceof UnauthorizedError && authProvider?.pendingUrl) {
        void this.authorize(authProvider, authProvider.pendingUrl);
        return;
      }
      this.lastError = (error as Error).message;
      this.failedAttempts++;
      log.warn({ err: error }, "server failed to start");
      this.scheduleRestart();
    } finally {
      this.settleFirstAttempt();
    }
  }

  /**
   * `client`'s connection is gone (the process exited, or a remote server forgot our session or
   * went away): drop it and connect again. Errors from a client already replaced are ignored.
   */
  private onLost(client: Client, reason: string): void {
    if (this.state === "stopped" || this.state === "restarting" || this.state === "failed") return;
    if (client !== this.client) return;
    this.options.log.warn({ server: this.name, reason }, "server lost; restarting");
    this.lastError = reason;
    this.restartReason = reason;
    this.dropClient();
    this.catalog = { tools: [], resources: [], resourceTemplates: [], prompts: [] };
    this.options.onCatalogChanged(["tools", "resources", "prompts"]);
    this.scheduleRestart();
  }

  /** The OAuth provider for a remote server, unless its config brings its own Authorization header. */
  private async oauthProvider(): Promise<FileOAuthProvider | undefined> {
    const oauth = this.options.oauth;
    if (!oauth || isStdio(this.config)) return undefined;
    const headers = Object.keys(this.config.headers ?? {}).map((key) => key.toLowerCase());
    return headers.includes("authorization") ? undefined : oauth.providerFor(this.name);
  }

  /**
   * The server requires OAuth and has no valid tokens: shows the URL to open (log and status),
   * waits for the user's consent to come back to the agent's callback, exchanges the code for
   * tokens (saved by the provider) and connects again.
   */
  private async authorize(provider: FileOAuthProvider, url: URL): Promise<void> {
    const oauth = this.options.oauth;
    if (!oauth || isStdio(this.config) || this.state === "stopped") return;
    this.authorizationUrl = url.href;
    this.setState("authorizing");
    this.options.log.warn(
      { server: this.name, url: url.href },
      `MCP server "${this.name}" needs authorization: open ${url.href}`,
    );
    const code = await oauth.nextCode(this.name);
    if ((this.state as UpstreamState) === "stopped") return;
    this.authorizationUrl = null;
    try {
      await auth(provider, { serverUrl: this.config.url, authorizationCode: code });
    } catch (error) {
      this.lastError = `authorization failed: ${(error as Error).message}`;
      this.failedAttempts++;
      this.scheduleRestart();
      return;
    }
    this.setState("starting");
    await this.connect();
  }

  /**
   * Forgets the client and closes it quietly (a remote one would go on retrying its stream). The
   * close waits for the current turn of the event loop: a request whose error said the connection
   * was gone gets that error (and `useClient` can send it again) rather than "Connection closed".
   */
  private dropClient(): void {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    client.onclose = undefined;
    client.onerror = undefined;
    setImmediate(() => void client.close().catch(() => {}));
  }

  private scheduleRestart(): void {
    if (this.state === "stopped") return;
    if (this.connectedAt && Date.now() - this.connectedAt > STABLE_AFTER_MS) this.attempt = 0;
    this.setState("restarting");
    this.restarts++;
    const delay = nextBackoffMs(this.attempt++, BACKOFF);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private listenForChanges(client: Client): void {
    const on = (kind: CatalogKind) => () => {
      void this.refresh([kind], client).then(() => this.options.onCatalogChanged([kind]));
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, on("tools"));
    client.setNotificationHandler(ResourceListChangedNotificationSchema, on("resources"));
    client.setNotificationHandler(PromptListChangedNotificationSchema, on("prompts"));
  }

  private async refresh(kinds: CatalogKind[], client: Client): Promise<void> {
    Object.assign(this.catalog, await readCatalog(client, kinds));
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
