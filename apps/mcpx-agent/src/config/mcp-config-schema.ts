import { z } from "zod";

// The `mcpServers` map Claude Desktop and Cursor use: stdio entries run a command, remote
// entries name a URL (Streamable HTTP, with SSE fallback). Unknown fields are refused so a typo
// ("arg" for "args") is an error, not a silently ignored setting.

export const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,47}$/;

export const ZStdioServerConfig = z
  .object({
    type: z.literal("stdio").optional(),
    command: z.string().min(1, "command must not be empty"),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    cwd: z.string().optional(),
    /** Per-server switches of the agent itself (ignored by other MCP clients). */
    disabled: z.boolean().optional(),
    /** false: this server's HTTPS is decided at host level only (for clients that pin certificates). */
    tlsInspection: z.boolean().optional(),
    /** false: its tools and prompts keep their own names (no `<server>__`). */
    prefix: z.boolean().optional(),
  })
  .strict();

export const ZRemoteServerConfig = z
  .object({
    type: z.enum(["http", "streamable-http", "sse"]).optional(),
    url: z
      .url("url must be an http(s) URL")
      .refine((u) => /^https?:/i.test(u), "url must be http or https"),
    headers: z.record(z.string(), z.string()).default({}),
    disabled: z.boolean().optional(),
    prefix: z.boolean().optional(),
  })
  .strict();

export const ZServerConfig = z.union([ZStdioServerConfig, ZRemoteServerConfig]);
export type TStdioServerConfig = z.infer<typeof ZStdioServerConfig>;
export type TRemoteServerConfig = z.infer<typeof ZRemoteServerConfig>;
export type TServerConfig = z.infer<typeof ZServerConfig>;

export const ZMcpConfig = z.object({ mcpServers: z.record(z.string(), z.unknown()) });

export function isStdio(config: TServerConfig): config is TStdioServerConfig {
  return "command" in config;
}
