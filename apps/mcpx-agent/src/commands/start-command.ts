import { homedir, hostname } from "node:os";
import { join } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { type RunningAgent, startAgent } from "../agent-runtime";
import { EgressManager } from "../egress/egress-manager";
import { DEFAULT_HTTP_SESSION_LIMITS } from "../front/http-session-table";
import { createLogger } from "../logger";
import { installProcessFaultHandlers } from "../process-faults";
import { createReporting } from "../reporter/create-reporting";
import { gatewayConfigFromEnv } from "../reporter/gateway-config";
import {
  addEgressOptions,
  type EgressFlags,
  egressSettings,
  flowsStateFrom,
} from "./egress-options";
import { exitOnUserError } from "./user-errors";

export const DEFAULT_STATE_DIR = join(homedir(), ".mcpx");

export function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new InvalidArgumentError("not a port number");
  return parsed;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new InvalidArgumentError("not a positive integer");
  return parsed;
}

interface StartFlags extends EgressFlags {
  config: string;
  http?: number;
  stdio?: boolean;
  host: string;
  tokenEnv?: string;
  httpIdleTimeout: number;
  httpMaxSessions: number;
  name: string;
  stateDir: string;
  spoolMaxMb: number;
  logLevel: string;
}

export function registerStart(program: Command): void {
  const command = program
    .command("start")
    .description(
      "Run the agent: spawn the configured MCP servers, serve them as one, govern their egress",
    )
    .requiredOption(
      "-c, --config <file>",
      "mcp.json with an mcpServers map (Claude Desktop / Cursor format)",
    )
    .option(
      "--http <port>",
      "serve MCP over Streamable HTTP on this port (path /mcp) instead of stdio",
      port,
    )
    .option("--stdio", "serve MCP on stdin/stdout too (the default unless --http is given)")
    .option("--host <address>", "address for --http", "127.0.0.1")
    .option(
      "--token-env <variable>",
      "require `Authorization: Bearer <token>` on --http, the token read from this variable",
    )
    .option(
      "--http-idle-timeout <seconds>",
      "close an --http MCP session after this long without a request open (its id then gets 404)",
      positiveInteger,
      DEFAULT_HTTP_SESSION_LIMITS.idleTimeoutMs / 1000,
    )
    .option(
      "--http-max-sessions <n>",
      "most --http MCP sessions at once (the least recently used idle one makes room)",
      positiveInteger,
      DEFAULT_HTTP_SESSION_LIMITS.maxSessions,
    )
    .option("--name <name>", "agent name shown in the dashboard", hostname())
    .option(
      "--state-dir <dir>",
      "where the agent id, CA, spool, flows cache and status live",
      DEFAULT_STATE_DIR,
    )
    .option(
      "--spool-max-mb <mb>",
      "disk the event spool may use before dropping the oldest events",
      port,
      256,
    )
    .option("--log-level <level>", "fatal, error, warn, info, debug or trace", "info");
  addEgressOptions(command).action(async (flags: StartFlags) => {
    const log = createLogger(flags.logLevel);
    installProcessFaultHandlers(log);
    const token = flags.tokenEnv ? process.env[flags.tokenEnv] : undefined;
    if (flags.tokenEnv && !token) {
      process.stderr.write(`mcpx-agent: --token-env ${flags.tokenEnv} names an empty variable\n`);
      process.exit(2);
    }
    let agent: RunningAgent | undefined;
    try {
      const flows = await flowsStateFrom(flags, {
        stateDir: flags.stateDir,
        gatewayConfigured: gatewayConfigFromEnv(process.env) !== null,
        log,
      });
      const reporting = await createReporting({
        stateDir: flags.stateDir,
        name: flags.name,
        spoolMaxBytes: flags.spoolMaxMb * 1024 * 1024,
        env: process.env,
        log,
        servers: () =>
          agent?.pool.list().map((s) => ({ name: s.name, transport: s.status().transport })) ?? [],
        flowsVersion: () => (flows.source === "file" ? null : flows.version),
        onFlows: (frame) => {
          // A local --flows file wins over the gateway's: the operator chose it explicitly.
          if (flags.flows) return;
          if (flows.apply(frame.version, frame.document, "gateway"))
            reporting.flowsApplied(frame.version);
        },
      });
      const egress = await EgressManager.create({
        stateDir: flags.stateDir,
        flows,
        inspectTls: flags.tlsInspection,
        registryAllowance: flags.registryAllowance,
        ownPorts: new Set(flags.http ? [flags.http] : []),
        env: process.env,
        log,
        record: (event) => reporting.events.record(event),
        ...egressSettings(flags),
      });
      agent = await startAgent({
        configPath: flags.config,
        stdio: flags.stdio ?? flags.http === undefined,
        http:
          flags.http === undefined
            ? null
            : {
                port: flags.http,
                host: flags.host,
                token,
                sessions: {
                  idleTimeoutMs: flags.httpIdleTimeout * 1000,
                  maxSessions: flags.httpMaxSessions,
                },
              },
        stateDir: flags.stateDir,
        agentId: reporting.agentId,
        name: reporting.name,
        log,
        env: process.env,
        events: reporting.events,
        egress,
        reporterStatus: reporting.status,
      });
      const running = agent;
      running.pool.onCatalogChanged(() => reporting.serversChanged());
      let stopping = false;
      const stop = async () => {
        if (stopping) process.exit(1);
        stopping = true;
        await running.close();
        await reporting.close();
        process.exit(0);
      };
      process.on("SIGINT", () => void stop());
      process.on("SIGTERM", () => void stop());
      // Claude Desktop closes our stdin to stop us.
      if (flags.stdio ?? flags.http === undefined) process.stdin.on("close", () => void stop());
    } catch (error) {
      exitOnUserError(error, log);
      throw error;
    }
  });
}
