import type pino from "pino";

/**
 * The agent's last fault boundary: an error that escaped a connection's or a request's own
 * handling is logged (with a running count) instead of ending the process, which would take
 * every MCP server and the egress proxy of every server down with it. Each handler has its own
 * boundary, so a line from here is a bug to report, not a way of working.
 */
export function installProcessFaultHandlers(log: pino.Logger): { count(): number } {
  let escaped = 0;
  process.on("uncaughtException", (error) => {
    escaped++;
    log.error({ err: error, escaped }, "uncaught exception (the agent keeps running)");
  });
  process.on("unhandledRejection", (reason) => {
    escaped++;
    log.error({ err: reason, escaped }, "unhandled rejection (the agent keeps running)");
  });
  return { count: () => escaped };
}
