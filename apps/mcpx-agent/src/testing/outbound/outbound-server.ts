// Shared shape of the outbound stand-in MCP servers: a real MCP stdio server (the SDK's McpServer)
// with one tool, `fetch_url` (url, optional method and body), that makes the call with whatever
// HTTP client the entry point uses and answers `{"status":…,"body":"…"}` as text. A failed call is
// a tool error whose text names the error and its cause, so a test sees why a call did not arrive.
// The entry points are ordinary servers: nothing in them knows about proxies or CAs.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

export interface OutboundRequest {
  url: string;
  method: string;
  body?: string;
}

export interface OutboundResponse {
  status: number;
  body: string;
}

export type Fetcher = (request: OutboundRequest) => Promise<OutboundResponse>;

export function buildOutboundServer(name: string, fetcher: Fetcher): McpServer {
  const server = new McpServer({ name: `outbound-${name}`, version: "1.0.0" });
  server.registerTool(
    "fetch_url",
    {
      description: `Fetches a URL with ${name} and returns status and body`,
      inputSchema: {
        url: z.string(),
        method: z.string().optional(),
        body: z.string().optional(),
      },
    },
    async ({ url, method, body }) => {
      try {
        const answer = await fetcher({ url, method: method ?? "GET", body });
        return { content: [{ type: "text", text: JSON.stringify(answer) }] };
      } catch (error) {
        return { content: [{ type: "text", text: describeError(error) }], isError: true };
      }
    },
  );
  return server;
}

export async function runOutboundServer(name: string, fetcher: Fetcher): Promise<void> {
  await buildOutboundServer(name, fetcher).connect(new StdioServerTransport());
}

export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(`${current.message}${typeof code === "string" ? ` (${code})` : ""}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(" <- ");
}
