import { agentWebSocketUrl, isWellFormedApiKey } from "@lunar/shared";

export interface GatewayConfig {
  gatewayUrl: string;
  apiKey: string;
}

export class GatewayConfigError extends Error {}

/**
 * Reporting is on when both LUNAR_GATEWAY_URL and LUNAR_API_KEY are set, off when neither is.
 * Half a configuration, a URL that is not one or a mistyped key is an error at start, not a
 * silent fallback to local logging (nobody would notice the dashboard going quiet).
 */
export function gatewayConfigFromEnv(env: NodeJS.ProcessEnv): GatewayConfig | null {
  const gatewayUrl = env.LUNAR_GATEWAY_URL?.trim() || undefined;
  const apiKey = env.LUNAR_API_KEY?.trim() || undefined;
  if (!gatewayUrl && !apiKey) return null;
  if (!gatewayUrl)
    throw new GatewayConfigError("LUNAR_API_KEY is set but LUNAR_GATEWAY_URL is not");
  if (!apiKey) throw new GatewayConfigError("LUNAR_GATEWAY_URL is set but LUNAR_API_KEY is not");
  try {
    agentWebSocketUrl(gatewayUrl);
  } catch (error) {
    throw new GatewayConfigError((error as Error).message);
  }
  if (!isWellFormedApiKey(apiKey)) {
    throw new GatewayConfigError(
      "LUNAR_API_KEY is not a Lunar API key (they start with lunar_; check for a typo)",
    );
  }
  return { gatewayUrl, apiKey };
}
