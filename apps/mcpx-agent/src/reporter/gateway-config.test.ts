import { generateApiKey } from "@lunar/shared";
import { describe, expect, it } from "vitest";
import { GatewayConfigError, gatewayConfigFromEnv } from "./gateway-config";

const key = generateApiKey().secret;

describe("gateway configuration from the environment", () => {
  it("is off (local logging) when neither variable is set", () => {
    expect(gatewayConfigFromEnv({})).toBeNull();
    expect(gatewayConfigFromEnv({ LUNAR_GATEWAY_URL: " ", LUNAR_API_KEY: "" })).toBeNull();
  });

  it("is on with both, trimmed", () => {
    expect(
      gatewayConfigFromEnv({ LUNAR_GATEWAY_URL: " https://gw.example.com ", LUNAR_API_KEY: key }),
    ).toEqual({ gatewayUrl: "https://gw.example.com", apiKey: key });
  });

  it("refuses half a configuration, naming the missing variable", () => {
    expect(() => gatewayConfigFromEnv({ LUNAR_API_KEY: key })).toThrow(/LUNAR_GATEWAY_URL is not/);
    expect(() => gatewayConfigFromEnv({ LUNAR_GATEWAY_URL: "https://gw" })).toThrow(
      /LUNAR_API_KEY is not/,
    );
  });

  it("refuses a URL that is not one and a mistyped key", () => {
    expect(() =>
      gatewayConfigFromEnv({ LUNAR_GATEWAY_URL: "gw:8080", LUNAR_API_KEY: key }),
    ).toThrow(GatewayConfigError);
    const typo = `${key.slice(0, -1)}${key.endsWith("a") ? "b" : "a"}`;
    expect(() =>
      gatewayConfigFromEnv({ LUNAR_GATEWAY_URL: "https://gw.example.com", LUNAR_API_KEY: typo }),
    ).toThrow(/not a Lunar API key/);
  });
});
