import { AGENT_WS_PATH } from "./limits";

/**
 * The agent's WebSocket URL from LUNAR_GATEWAY_URL: http→ws, https→wss, and the agent path
 * appended when the URL has no path of its own. Users only ever set the gateway's base URL.
 */
export function agentWebSocketUrl(gatewayUrl: string): string {
  let url: URL;
  try {
    url = new URL(gatewayUrl);
  } catch {
    throw new Error(`LUNAR_GATEWAY_URL is not a URL: ${JSON.stringify(gatewayUrl)}`);
  }
  const schemes: Record<string, string> = {
    "http:": "ws:",
    "https:": "wss:",
    "ws:": "ws:",
    "wss:": "wss:",
  };
  const scheme = schemes[url.protocol];
  if (!scheme) throw new Error(`LUNAR_GATEWAY_URL must be http(s) or ws(s), not ${url.protocol}`);
  url.protocol = scheme;
  if (url.pathname === "" || url.pathname === "/") url.pathname = AGENT_WS_PATH;
  url.hash = "";
  return url.toString();
}
