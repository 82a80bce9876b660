// A Google Maps MCP server for the demo: `geocode` calls maps.googleapis.com with an API key in
// the query string (as the real one does; the agent redacts it before reporting).
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "maps-like", version: "1.0.0" });
server.registerTool(
  "geocode",
  { description: "Finds coordinates for an address", inputSchema: { address: z.string() } },
  async ({ address }) => {
    const url = `https://maps.googleapis.com/maps/api/geocode/json?address=${encodeURIComponent(address)}&key=AIzaDemoKey0000000000000000000`;
    const response = await fetch(url);
    return { content: [{ type: "text", text: JSON.stringify({ status: response.status }) }] };
  },
);
await server.connect(new StdioServerTransport());
