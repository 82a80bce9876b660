// What the reference server's parts share: sample media, small helpers, the server's recorded
// state and the shape of a tool entry.
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type {
  CallToolResult,
  LoggingLevel,
  ServerNotification,
  ServerRequest,
  Tool,
} from "@modelcontextprotocol/sdk/types.js";

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;
export type Args = Record<string, unknown>;

export const IMAGE =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
export const AUDIO = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";
export const EMPTY = { type: "object" as const, properties: {} };
export const text = (value: string): CallToolResult => ({
  content: [{ type: "text", text: value }],
});
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the server saw, for tests that check what reached it through the agent. */
export interface ReferenceState {
  logLevel: LoggingLevel | null;
  subscriptions: Set<string>;
  cancelled: number;
}

export interface ToolEntry {
  tool: Tool;
  run(args: Args, extra: Extra, server: Server): Promise<CallToolResult>;
}

export const LOG = (level: LoggingLevel, data: string) => ({
  method: "notifications/message" as const,
  params: { level, logger: "reference-server", data },
});
