// An unmodified MCP server whose outbound calls use the node-fetch package (v3, over http/https,
// as server-google-maps and server-github do). Entry point: `node --import tsx node-fetch-server.ts`.
import fetch from "node-fetch";
import { runOutboundServer } from "./outbound-server";

await runOutboundServer("node-fetch", async ({ url, method, body }) => {
  const response = await fetch(url, { method, body });
  return { status: response.status, body: await response.text() };
});
