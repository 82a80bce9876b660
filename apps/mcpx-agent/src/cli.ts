// The `mcpx-agent` command line: `start` runs the agent, `status` reports on a running one.
import { homedir, hostname } from "node:os";
import { join } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { type RunningAgent, startAgent } from "./agent-runtime";
import { ConfigError } from "./config/load-config";
import { AgentIdentityError } from "./identity/agent-identity";
import { createLogger } from "./logger";
import { createReporting } from "./reporter/create-reporting";
import { GatewayConfigError } from "./reporter/gateway-config";
import { SpoolLockedError } from "./reporter/spool/spool-lock";
import { formatStatus } from "./status/format-status";
import { readStatus } from "./status/status-file";

const DEFAULT_STATE_DIR = join(homedir(), ".mcpx");

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new InvalidArgumentError("not a port number");
  return parsed;
}

const program = new Command()
  .name("mcpx-agent")
  .description(
    "One MCP endpoint in front of many MCP servers, reporting every tool call (and, with a\n" +
      "gateway, every outbound call) to the Lunar control plane.\n\n" +
      "Environment: LUNAR_GATEWAY_URL (e.g. https://gateway.example.com) and LUNAR_API_KEY turn on\n" +
      "reporting; without them events are logged locally (stderr).",
  )
  .version("0.1.0");

program
  .command("start")
  .description("Run the agent: spawn the configured MCP servers and serve them as one")
  .requiredOption(
    "-c, --config <file>",
    "mcp.json with an mcpServers map (Claude Desktop / Cursor format)",
  )
  .option(
    "--http <port>",
    "also serve MCP over Streamable HTTP on this port (path /mcp); turns stdio off",
    port,
  )
  .option("--stdio", "serve MCP on stdin/stdout (the default unless --http is given)")
  .option("--host <address>", "address for --http", "127.0.0.1")
  .option(
    "--token-env <variable>",
    "require `Authorization: Bearer <token>` on --http, the token read from this variable",
  )
  .option("--name <name>", "agent name shown in the dashboard", hostname())
  .option("--state-dir <dir>", "where the agent id, spool and status live", DEFAULT_STATE_DIR)
  .option(
    "--spool-max-mb <mb>",
    "disk the event spool may use before dropping the oldest events",
    port,
    256,
  )
  .option("--log-level <level>", "fatal, error, warn, info, debug or trace", "info")
  .action(async (options) => {
    const log = createLogger(options.logLevel);
    const token = options.tokenEnv ? process.env[options.tokenEnv] : undefined;
    if (options.tokenEnv && !token) {
      log.fatal({ variable: options.tokenEnv }, "the --token-env variable is empty");
      process.exit(2);
    }
    let agent: RunningAgent | undefined;
    try {
      const reporting = await createReporting({
        stateDir: options.stateDir,
        name: options.name,
        spoolMaxBytes: options.spoolMaxMb * 1024 * 1024,
        env: process.env,
        log,
        servers: () =>
          agent?.pool.list().map((s) => ({ name: s.name, transport: s.status().transport })) ?? [],
      });
      agent = await startAgent({
        configPath: options.config,
        stdio: options.stdio ?? options.http === undefined,
        http: options.http === undefined ? null : { port: options.http, host: options.host, token },
        stateDir: options.stateDir,
        agentId: reporting.agentId,
        name: reporting.name,
        log,
        env: process.env,
        events: reporting.events,
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
      process.stdin.on("close", () => {
        // Claude Desktop closes our stdin to stop us.
        if (options.stdio ?? options.http === undefined) void stop();
      });
    } catch (error) {
      // Mistakes a user can fix get one clear line and exit code 2, not a stack trace.
      if (
        error instanceof ConfigError ||
        error instanceof GatewayConfigError ||
        error instanceof SpoolLockedError ||
        error instanceof AgentIdentityError
      ) {
        const hint =
          error instanceof SpoolLockedError
            ? " (another mcpx-agent uses this state directory: give each MCP client its own --state-dir)"
            : "";
        log.fatal(error.message);
        process.stderr.write(`mcpx-agent: ${error.message}${hint}\n`);
        process.exit(2);
      }
      throw error;
    }
  });

program
  .command("status")
  .description("Show the running agent's gateway connection, servers and spool depth")
  .option("--state-dir <dir>", "the state directory the agent was started with", DEFAULT_STATE_DIR)
  .option("--json", "print the raw status as JSON")
  .action(async (options) => {
    const status = await readStatus(options.stateDir);
    process.stdout.write(
      `${options.json ? JSON.stringify(status, null, 2) : formatStatus(status)}\n`,
    );
    process.exitCode = status ? 0 : 1;
  });

await program.parseAsync(process.argv);
