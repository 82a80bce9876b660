import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { UriTemplate } from "@modelcontextprotocol/sdk/shared/uriTemplate.js";
import type pino from "pino";
import { ClientRelay } from "../aggregator/client-relay";
import { NameMap } from "../aggregator/namespaced-names";
import type { ServerConfigs } from "../config/load-config";
import type { TServerConfig } from "../config/mcp-config-schema";
import type { ConnectOptions } from "./connect-upstream";
import type { OAuthBroker } from "./oauth/oauth-broker";
import { type CatalogKind, UpstreamServer } from "./upstream-server";

/**
 * The set of MCP servers behind the agent. Applying a new config starts added servers, stops
 * removed ones and restarts only those whose entry changed; the rest are not touched.
 */
export class UpstreamPool {
  private readonly servers = new Map<string, UpstreamServer>();
  private readonly listeners = new Set<(kinds: CatalogKind[]) => void>();
  /** Server → client traffic of every server, routed to the client sessions. */
  readonly relay = new ClientRelay();
  private names: { tools: NameMap; prompts: NameMap } | undefined;

  constructor(
    private readonly log: pino.Logger,
    private readonly prepareConnect: (
      name: string,
      config: TServerConfig,
    ) => Promise<ConnectOptions> = async () => ({}),
    /** OAuth for remote servers that require it; without it they fail on their 401. */
    private readonly oauth?: OAuthBroker,
  ) {}

  onCatalogChanged(listener: (kinds: CatalogKind[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(name: string): UpstreamServer | undefined {
    return this.servers.get(name);
  }

  list(): UpstreamServer[] {
    return [...this.servers.values()];
  }

  async apply(
    configs: ServerConfigs,
  ): Promise<{ added: string[]; removed: string[]; restarted: string[] }> {
    const added: string[] = [];
    const removed: string[] = [];
    const restarted: string[] = [];
    for (const [name, server] of this.servers) {
      const next = configs.get(name);
      if (!next) {
        removed.push(name);
      } else if (JSON.stringify(next) !== JSON.stringify(server.config)) {
        restarted.push(name);
      }
    }
    for (const name of [...removed, ...restarted]) {
      await this.servers.get(name)?.stop();
      this.servers.delete(name);
    }
    for (const [name, config] of configs) {
      if (this.servers.has(name)) continue;
      if (!restarted.includes(name)) added.push(name);
      const server = new UpstreamServer(name, config, {
        log: this.log,
        prepareConnect: () => this.prepareConnect(name, config),
        onCatalogChanged: (kinds) => this.emit(kinds),
        relay: this.relay,
        vet: (candidate) => this.nameClash(candidate),
        onReady: (ready, client) => this.reapply(ready, client),
        oauth: this.oauth,
      });
      this.servers.set(name, server);
      server.start();
    }
    if (removed.length > 0 || restarted.length > 0) this.emit(["tools", "resources", "prompts"]);
    return { added, removed, restarted };
  }

  /**
   * Waits (at most `timeoutMs`) until every server's first start attempt has ended, so a
   * client's first tools/list right after launch sees the tools instead of an empty list.
   */
  async settled(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.list().map((server) => server.firstAttempt)),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.servers.values()].map((server) => server.stop()));
    this.servers.clear();
  }

  /** Offered tool and prompt names of every server as the catalogues are now (cached). */
  offeredNames(): { tools: NameMap; prompts: NameMap } {
    if (this.names) return this.names;
    const tools = new NameMap();
    const prompts = new NameMap();
    for (const upstream of this.list()) {
      const prefixed = upstream.config.prefix !== false;
      for (const tool of upstream.catalog.tools) tools.add(upstream.name, tool.name, prefixed);
      for (const prompt of upstream.catalog.prompts)
        prompts.add(upstream.name, prompt.name, prefixed);
    }
    this.names = { tools, prompts };
    return this.names;
  }

  /**
   * The server that owns resource `uri`, for any client session: the first whose resources list
   * has it, else one with a matching template; else the servers are asked for their lists now;
   * else, when only one server offers resources at all, that one (it answers for itself).
   */
  async resourceOwner(uri: string): Promise<UpstreamServer | undefined> {
    const known = this.knownResourceOwner(uri);
    if (known) return known;
    const withResources = this.list().filter(
      (server) => server.isReady && server.requireClient().getServerCapabilities()?.resources,
    );
    for (const server of withResources) {
      const client = server.requireClient();
      let cursor: string | undefined;
      for (let page = 0; page < 100; page++) {
        const result = await client
          .listResources(cursor ? { cursor } : undefined)
          .catch(() => null);
        if (result?.resources.some((resource) => resource.uri === uri)) return server;
        cursor = result?.nextCursor;
        if (!cursor) break;
      }
    }
    return withResources.length === 1 ? withResources[0] : undefined;
  }

  knownResourceOwner(uri: string): UpstreamServer | undefined {
    const servers = this.list();
    const byUri = servers.find((server) =>
      server.catalog.resources.some((resource) => resource.uri === uri),
    );
    if (byUri) return byUri;
    return servers.find((server) =>
      server.catalog.resourceTemplates.some((template) =>
        matchesTemplate(template.uriTemplate, uri),
      ),
    );
  }

  /** An unprefixed server whose names another unprefixed server already offers is refused. */
  private nameClash(candidate: UpstreamServer): string | null {
    if (candidate.config.prefix !== false) return null;
    for (const other of this.list()) {
      if (other === candidate || other.config.prefix !== false || !other.isReady) continue;
      for (const kind of ["tools", "prompts"] as const) {
        const theirs = new Set(other.catalog[kind].map((item) => item.name));
        const clash = candidate.catalog[kind].find((item) => theirs.has(item.name));
        if (clash)
          return `${kind === "tools" ? "tool" : "prompt"} "${clash.name}" of server "${candidate.name}" clashes with the one of server "${other.name}" (both have "prefix": false); set "prefix": true on one of them`;
      }
    }
    return null;
  }

  /** What clients asked for before this server (re)connected: log level, subscriptions. */
  private async reapply(server: UpstreamServer, client: Client): Promise<void> {
    const capabilities = client.getServerCapabilities() ?? {};
    const level = this.relay.upstreamLogLevel();
    if (level && capabilities.logging) await client.setLoggingLevel(level).catch(() => {});
    if (!capabilities.resources?.subscribe) return;
    for (const uri of this.relay.subscribedUris()) {
      if (server.catalog.resources.some((resource) => resource.uri === uri))
        await client.subscribeResource({ uri }).catch(() => {});
    }
  }

  private emit(kinds: CatalogKind[]): void {
    if (kinds.includes("tools") || kinds.includes("prompts")) this.names = undefined;
    for (const listener of this.listeners) listener(kinds);
  }
}

function matchesTemplate(template: string, uri: string): boolean {
  try {
    return new UriTemplate(template).match(uri) !== null;
  } catch {
    return false;
  }
}
