// What `mcpx-agent init` writes: an MCP client's config entry that starts the agent through npx,
// merged into the client's config file beside the entries already there.
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";

export const ZMcpClient = z.enum(["claude", "cursor", "vscode"]);
export type TMcpClient = z.infer<typeof ZMcpClient>;

/** The object key each client keeps its servers under (VS Code's mcp.json differs). */
export function serversKey(client: TMcpClient): "mcpServers" | "servers" {
  return client === "vscode" ? "servers" : "mcpServers";
}

/**
 * Where each client reads its MCP servers by default: Claude Desktop's per-user file, Cursor's
 * global ~/.cursor/mcp.json, VS Code's workspace .vscode/mcp.json (in `cwd`).
 */
export function defaultClientConfigPath(
  client: TMcpClient,
  place: { platform: NodeJS.Platform; home: string; appData?: string; cwd: string } = {
    platform: process.platform,
    home: homedir(),
    cwd: process.cwd(),
  },
): string {
  switch (client) {
    case "claude":
      if (place.platform === "darwin")
        return join(
          place.home,
          "Library",
          "Application Support",
          "Claude",
          "claude_desktop_config.json",
        );
      if (place.platform === "win32")
        return join(
          place.appData ?? join(place.home, "AppData", "Roaming"),
          "Claude",
          "claude_desktop_config.json",
        );
      return join(place.home, ".config", "Claude", "claude_desktop_config.json");
    case "cursor":
      return join(place.home, ".cursor", "mcp.json");
    case "vscode":
      return join(place.cwd, ".vscode", "mcp.json");
  }
}

export interface AgentEntryInput {
  client: TMcpClient;
  packageName: string;
  /** The agent's own servers file (`start --config`); made absolute. */
  serversConfig: string;
  gatewayUrl: string;
  apiKey: string;
}

/** The entry: `npx -y <package> start --config <file>` with the gateway and key in its env. */
export function agentEntry(input: AgentEntryInput): Record<string, unknown> {
  return {
    ...(input.client === "vscode" ? { type: "stdio" } : {}),
    command: "npx",
    args: ["-y", input.packageName, "start", "--config", resolve(input.serversConfig)],
    env: { LUNAR_GATEWAY_URL: input.gatewayUrl, LUNAR_API_KEY: input.apiKey },
  };
}

export class ClientConfigError extends Error {}

const ZClientConfig = z.record(z.string(), z.unknown());

/**
 * `existing` (the file's text, or null when there is none) with `entry` set under `name`;
 * every other key and server is kept. Text that is not a JSON object is an error, never replaced.
 */
export function mergeClientConfig(
  existing: string | null,
  client: TMcpClient,
  name: string,
  entry: Record<string, unknown>,
): Record<string, unknown> {
  let document: Record<string, unknown> = {};
  if (existing !== null && existing.trim() !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(existing);
    } catch (error) {
      throw new ClientConfigError(
        `is not valid JSON (${(error as Error).message}); left unchanged`,
      );
    }
    const result = ZClientConfig.safeParse(parsed);
    if (!result.success) throw new ClientConfigError("is not a JSON object; left unchanged");
    document = result.data;
  }
  const key = serversKey(client);
  const servers = ZClientConfig.safeParse(document[key] ?? {});
  if (!servers.success)
    throw new ClientConfigError(`has a "${key}" that is not an object; left unchanged`);
  return { ...document, [key]: { ...servers.data, [name]: entry } };
}
