import type pino from "pino";
import type { ServerConfigs } from "../config/load-config";
import type { TServerConfig } from "../config/mcp-config-schema";
import type { ConnectOptions } from "./connect-upstream";
import { type CatalogKind, UpstreamServer } from "./upstream-server";

/**
 * The set of MCP servers behind the agent. Applying a new config starts added servers, stops
 * removed ones and restarts only those whose entry changed; the rest are not touched.
 */
export class UpstreamPool {
  private readonly servers = new Map<string, UpstreamServer>();
  private readonly listeners = new Set<(kinds: CatalogKind[]) => void>();

  constructor(
    private readonly log: pino.Logger,
    private readonly prepareConnect: (
      name: string,
      config: TServerConfig,
    ) => Promise<ConnectOptions> = async () => ({}),
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

  private emit(kinds: CatalogKind[]): void {
    for (const listener of this.listeners) listener(kinds);
  }
}
