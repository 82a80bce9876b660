// The `mcpx-agent` command line: `start` runs the agent, `status` reports on a running one,
// `proxy` runs only the egress proxy, `check` decides one URL against a flows file, `init` adds
// the agent to an MCP client's config.
import { Command } from "commander";
import { registerCheck } from "./commands/check-command";
import { registerInit } from "./commands/init-command";
import { registerProxy } from "./commands/proxy-command";
import { registerStart } from "./commands/start-command";
import { registerStatus } from "./commands/status-command";
import { PACKAGE_INFO } from "./package-info";

const program = new Command()
  .name("mcpx-agent")
  .description(
    "One MCP endpoint in front of many MCP servers; every outbound HTTP(S) call of every server\n" +
      "goes through its egress proxy and is decided by the org's flows.\n\n" +
      "Environment: LUNAR_GATEWAY_URL (e.g. https://gateway.example.com) and LUNAR_API_KEY turn on\n" +
      "reporting and gateway flows; without them events are logged locally (stderr).",
  )
  .version(PACKAGE_INFO.version);
registerStart(program);
registerStatus(program);
registerProxy(program);
registerCheck(program);
registerInit(program);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  // A command that fails to start ends the process (exit 1): the process-level fault handlers
  // keep a running agent alive, and must not keep a half-started one.
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`mcpx-agent: ${detail}\n`);
  process.exit(1);
}
