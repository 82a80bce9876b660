import type pino from "pino";
import { ConfigError } from "../config/load-config";
import { FlowsFileError } from "../egress/load-flows-file";
import { AgentIdentityError } from "../identity/agent-identity";
import { GatewayConfigError } from "../reporter/gateway-config";
import { SpoolLockedError } from "../reporter/spool/spool-lock";

/** Mistakes a user can fix get one clear line and exit code 2, not a stack trace. */
export function exitOnUserError(error: unknown, log: pino.Logger): void {
  const known =
    error instanceof ConfigError ||
    error instanceof GatewayConfigError ||
    error instanceof SpoolLockedError ||
    error instanceof AgentIdentityError ||
    error instanceof FlowsFileError ||
    (error instanceof Error && error.message.startsWith("--resolve"));
  if (!known) return;
  const hint =
    error instanceof SpoolLockedError
      ? " (another mcpx-agent uses this state directory: give each MCP client its own --state-dir)"
      : "";
  log.fatal((error as Error).message);
  process.stderr.write(`mcpx-agent: ${(error as Error).message}${hint}\n`);
  process.exit(2);
}
