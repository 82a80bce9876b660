// An unmodified MCP server whose outbound calls use axios (its Node http adapter). axios reads
// HTTP(S)_PROXY itself too; with the preload in place its calls reach the proxy like any other
// http/https call (absolute form for http, CONNECT for https, certificate checked by the child).
// Entry point: `node --import tsx axios-server.ts`.
import axios from "axios";
import { runOutboundServer } from "./outbound-server";

await runOutboundServer("axios", async ({ url, method, body }) => {
  const response = await axios.request<string>({
    url,
    method,
    data: body,
    responseType: "text",
    transformResponse: (data: string) => data,
    validateStatus: () => true,
  });
  return { status: response.status, body: String(response.data) };
});
