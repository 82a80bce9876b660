// An unmodified MCP server whose outbound calls use Node's global fetch (built-in undici).
// Entry point: `node --import tsx fetch-server.ts`.
import { runOutboundServer } from "./outbound-server";

await runOutboundServer("global fetch", async ({ url, method, body }) => {
  const response = await fetch(url, { method, body });
  return { status: response.status, body: await response.text() };
});
