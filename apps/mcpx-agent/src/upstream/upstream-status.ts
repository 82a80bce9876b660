import type { Prompt, Resource, ResourceTemplate, Tool } from "@modelcontextprotocol/sdk/types.js";

// What an upstream server is and shows: its states, catalogue and status (the status file and
// `mcpx-agent status` read this shape).

/** `failed`: refused for good until its config changes (e.g. its tool names clash with another's). */
/** `authorizing`: waits for the user to open the authorization URL (OAuth). */
export type UpstreamState =
  | "starting"
  | "ready"
  | "restarting"
  | "authorizing"
  | "failed"
  | "stopped";
export type CatalogKind = "tools" | "resources" | "prompts";

export interface UpstreamCatalog {
  tools: Tool[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
  prompts: Prompt[];
}

export interface UpstreamStatus {
  name: string;
  state: UpstreamState;
  transport: string | null;
  /** The MCP protocol version agreed with the server (absent in older status files). */
  protocolVersion?: string | null;
  pid: number | null;
  restarts: number;
  /** While starting over: why the connection was given up (absent in older status files). */
  reason?: string | null;
  /** Connection attempts that failed since the server was last ready (absent in older files). */
  attempts?: number;
  /** While authorizing: the URL the user has to open (absent in older status files). */
  authorizationUrl?: string | null;
  lastError: string | null;
  tools: number;
}

/** Why `waitForClient` gave up: the server is not ready (starting, restarting, failed, stopped). */
export class UpstreamUnavailableError extends Error {}
