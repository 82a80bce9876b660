// A small MCP server for tests (run over stdio by fixture-stdio.ts, or over HTTP in-process).
// Tools: echo, add, crash (exits the process), fail (a tool error). A resource and a prompt too.
// With `hostileToolName`, one more tool named with NUL, a lone surrogate and 300 characters.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

/** A name no database column takes as it is: NUL, an unpaired surrogate, 300 characters. */
export const HOSTILE_TOOL_NAME = `nul\u0000lone\ud800${"x".repeat(300)}`;

export function buildFixtureServer(
  name: string,
  options: { hostileToolName?: boolean } = {},
): McpServer {
  const server = new McpServer({ name: `fixture-${name}`, version: "1.0.0" });
  if (options.hostileToolName) {
    server.registerTool(HOSTILE_TOOL_NAME, { description: "Has a hostile name" }, async () => ({
      content: [{ type: "text", text: "called" }],
    }));
  }
  server.registerTool(
    "echo",
    { description: `Echoes text (${name})`, inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: "text", text: `${name}:${text}` }] }),
  );
  server.registerTool(
    "add",
    { description: "Adds two numbers", inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }),
  );
  server.registerTool("crash", { description: "Exits the server process" }, async () => {
    setTimeout(() => process.exit(3), 10);
    return { content: [{ type: "text", text: "crashing" }] };
  });
  server.registerTool("fail", { description: "Returns a tool error" }, async () => ({
    content: [{ type: "text", text: "it failed" }],
    isError: true,
  }));
  server.registerResource(
    "readme",
    `fixture://${name}/readme`,
    { description: "A readme", mimeType: "text/plain" },
    async (uri) => ({ contents: [{ uri: uri.href, text: `readme of ${name}` }] }),
  );
  server.registerPrompt(
    "greet",
    { description: "Greets", argsSchema: { who: z.string() } },
    ({ who }) => ({
      messages: [{ role: "user", content: { type: "text", text: `Hello ${who} from ${name}` } }],
    }),
  );
  return server;
}
