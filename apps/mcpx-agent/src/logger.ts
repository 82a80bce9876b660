import pino from "pino";

/** Logs go to stderr, always: on the stdio front end, stdout is the MCP channel itself. */
export function createLogger(level: string): pino.Logger {
  return pino({ name: "mcpx-agent", level }, pino.destination({ fd: 2, sync: true }));
}
