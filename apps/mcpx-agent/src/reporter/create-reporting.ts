import { join } from "node:path";
import type { TFlowsFrame, TServerInfo } from "@lunar/shared";
import type pino from "pino";
import { loadAgentIdentity } from "../identity/agent-identity";
import type { EventSink } from "../reporter/event-sink";
import { EventSpool } from "./event-spool";
import { gatewayConfigFromEnv } from "./gateway-config";
import { GatewayReporter } from "./gateway-reporter";
import { LocalEventLog } from "./local-event-log";

export const AGENT_VERSION = "0.1.0";
const TRANSPORTS: readonly string[] = ["stdio", "http", "sse"];

export interface ReportingOptions {
  stateDir: string;
  /** Shown in the dashboard; the host name when absent. */
  name?: string;
  spoolMaxBytes: number;
  env: NodeJS.ProcessEnv;
  log: pino.Logger;
  /** The agent's MCP servers; entries whose transport is not known yet are not announced. */
  servers: () => readonly { name: string; transport: string | null }[];
  flowsVersion?: () => number | null;
  onFlows?: (frame: TFlowsFrame) => void;
  version?: string;
}

export interface ReportingStatus {
  gateway: {
    configured: boolean;
    connected: boolean;
    url: string | null;
    lastError: string | null;
  };
  spool: { events: number; bytes: number; dropped: number; damaged: number } | null;
}

export interface Reporting {
  agentId: string;
  name: string;
  events: EventSink;
  status(): ReportingStatus;
  serversChanged(): void;
  flowsApplied(version: number): void;
  /** Stops reporting and closes the spool; unacked events are sent by the next run. */
  close(): Promise<void>;
}

/**
 * The agent's identity and where its events go: with LUNAR_GATEWAY_URL and LUNAR_API_KEY, a
 * gateway reporter over a disk spool in `<stateDir>/spool`; without them, the local log.
 */
export async function createReporting(options: ReportingOptions): Promise<Reporting> {
  const identity = await loadAgentIdentity({ stateDir: options.stateDir, name: options.name });
  const gateway = gatewayConfigFromEnv(options.env);
  if (!gateway) {
    options.log.info("LUNAR_GATEWAY_URL and LUNAR_API_KEY not set: events are logged locally");
    return {
      ...identity,
      events: new LocalEventLog(options.log),
      status: () => ({
        gateway: { configured: false, connected: false, url: null, lastError: null },
        spool: null,
      }),
      serversChanged: () => {},
      flowsApplied: () => {},
      close: async () => {},
    };
  }

  const spool = await EventSpool.open({
    dir: join(options.stateDir, "spool"),
    maxBytes: options.spoolMaxBytes,
    log: options.log,
  });
  const reporter = new GatewayReporter({
    ...gateway,
    agentId: identity.agentId,
    name: identity.name,
    version: options.version ?? AGENT_VERSION,
    spool,
    log: options.log,
    servers: () => knownServers(options.servers()),
    flowsVersion: options.flowsVersion ?? (() => null),
    onFlows: options.onFlows,
  });
  reporter.start();
  return {
    ...identity,
    events: reporter,
    status: () => {
      const status = reporter.status();
      const { events, bytes, dropped, damaged } = status.spool;
      return {
        gateway: {
          configured: true,
          connected: status.connected,
          url: status.url,
          lastError: status.lastError,
        },
        spool: { events, bytes, dropped, damaged },
      };
    },
    serversChanged: () => reporter.serversChanged(),
    flowsApplied: (version) => reporter.flowsApplied(version),
    async close() {
      await reporter.stop();
      await spool.close();
    },
  };
}

function knownServers(servers: readonly { name: string; transport: string | null }[]) {
  return servers.filter((server): server is TServerInfo =>
    TRANSPORTS.includes(server.transport ?? ""),
  );
}
