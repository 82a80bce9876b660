import { join, resolve } from "node:path";
import type pino from "pino";
import { ConfigError, loadConfigFile } from "./config/load-config";
import { isStdio } from "./config/mcp-config-schema";
import { watchConfig } from "./config/watch-config";
import type { EgressManager } from "./egress/egress-manager";
import { startHttpFront } from "./front/http-front";
import type { HttpSessionLimits } from "./front/http-session-table";
import { startStdioFront } from "./front/stdio-front";
import type { EventSink } from "./reporter/event-sink";
import { type AgentStatus, writeStatus } from "./status/status-file";
import { OAuthBroker } from "./upstream/oauth/oauth-broker";
import { UpstreamPool } from "./upstream/upstream-pool";

export interface AgentOptions {
  configPath: string;
  stdio: boolean;
  http: {
    port: number;
    host: string;
    token?: string;
    /** Idle timeout and cap of MCP sessions (defaults in front/http-session-table.ts). */
    sessions?: Partial<HttpSessionLimits>;
  } | null;
  stateDir: string;
  agentId: string;
  name: string;
  log: pino.Logger;
  env: NodeJS.ProcessEnv;
  events: EventSink;
  /** Egress control for spawned servers (absent: servers reach the network directly). */
  egress?: EgressManager;
  /** Gateway and spool state for the status file (absent without a gateway). */
  reporterStatus?: () => Pick<AgentStatus, "gateway" | "spool">;
}

export interface RunningAgent {
  pool: UpstreamPool;
  httpPort: number | null;
  close(): Promise<void>;
}

const STATUS_INTERVAL_MS = 2_000;

/** Everything `mcpx-agent start` runs: upstream servers, front ends, config reloads, status. */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { log } = options;
  const configPath = resolve(options.configPath);
  const egress = options.egress;
  // Remote servers that require OAuth: tokens in the state directory, consent through a loopback callback.
  const oauth = new OAuthBroker(join(options.stateDir, "oauth"));
  const pool: UpstreamPool = new UpstreamPool(
    log,
    async (name, config) => {
      if (!egress) return {};
      if (!isStdio(config)) {
        egress.checkRemote(name, config.url);
        return {};
      }
      const childEnv = await egress.environmentFor(
        name,
        config,
        () => pool.get(name)?.currentCorrelationId() ?? null,
      );
      return { childEnv };
    },
    oauth,
  );
  await pool.apply(await loadConfigFile(configPath, options.env));

  const stopWatching = watchConfig(configPath, async () => {
    try {
      const change = await pool.apply(await loadConfigFile(configPath, options.env));
      // A removed server's proxy goes with it (a restarted one gets a new proxy when it starts).
      await Promise.all(change.removed.map((name) => egress?.release(name)));
      log.info(change, "config reloaded");
    } catch (error) {
      const message = error instanceof ConfigError ? error.message : String(error);
      log.error({ error: message }, "config change refused; keeping the running servers");
    }
  });

  // Fronts report client sessions as they initialize and end; the status file follows.
  let clientsChanged = () => {};
  const onClientsChanged = () => clientsChanged();
  const stdio = options.stdio
    ? await startStdioFront(pool, options.events, onClientsChanged)
    : null;
  const http = options.http
    ? await startHttpFront(pool, options.events, { ...options.http, log, onClientsChanged })
    : null;

  const startedAt = new Date().toISOString();
  const status = (): AgentStatus => ({
    pid: process.pid,
    startedAt,
    updatedAt: new Date().toISOString(),
    agentId: options.agentId,
    name: options.name,
    config: configPath,
    http: http ? `http://${options.http?.host}:${http.port}/mcp` : null,
    gateway: { configured: false, connected: false, url: null, lastError: null },
    spool: null,
    ...options.reporterStatus?.(),
    servers: pool.list().map((server) => server.status()),
    clients: [...(stdio?.clients() ?? []), ...(http?.clients() ?? [])],
  });
  const publishStatus = () =>
    void writeStatus(options.stateDir, status()).catch((error) =>
      log.debug({ err: error }, "status not written"),
    );
  publishStatus();
  clientsChanged = publishStatus;
  const statusTimer = setInterval(publishStatus, STATUS_INTERVAL_MS);
  const stopPublishingChanges = pool.onCatalogChanged(publishStatus);

  return {
    pool,
    httpPort: http?.port ?? null,
    async close() {
      clearInterval(statusTimer);
      stopPublishingChanges();
      stopWatching();
      await http?.close();
      await stdio?.close();
      await pool.stopAll();
      await oauth.close();
      await egress?.closeAll();
      publishStatus();
    },
  };
}
