import type { Command } from "commander";
import { formatStatus } from "../status/format-status";
import { readStatus } from "../status/status-file";
import { DEFAULT_STATE_DIR } from "./start-command";

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("Show the running agent's gateway connection, servers, flows and spool depth")
    .option(
      "--state-dir <dir>",
      "the state directory the agent was started with",
      DEFAULT_STATE_DIR,
    )
    .option("--json", "print the raw status as JSON")
    .action(async (options: { stateDir: string; json?: boolean }) => {
      const status = await readStatus(options.stateDir);
      process.stdout.write(
        `${options.json ? JSON.stringify(status, null, 2) : formatStatus(status)}\n`,
      );
      process.exitCode = status ? 0 : 1;
    });
}
