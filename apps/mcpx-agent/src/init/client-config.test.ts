import { describe, expect, it } from "vitest";
import { agentEntry, defaultClientConfigPath, mergeClientConfig } from "./client-config";

const entry = agentEntry({
  client: "claude",
  packageName: "@lunar-mcpx/agent",
  serversConfig: "/home/me/mcp.json",
  gatewayUrl: "https://gateway.example.com",
  apiKey: "lmcp_secret",
});

describe("mcpx-agent init's client config", () => {
  it("an entry runs the package through npx with the gateway and key in its env", () => {
    expect(entry).toEqual({
      command: "npx",
      args: ["-y", "@lunar-mcpx/agent", "start", "--config", "/home/me/mcp.json"],
      env: { LUNAR_GATEWAY_URL: "https://gateway.example.com", LUNAR_API_KEY: "lmcp_secret" },
    });
  });

  it("a VS Code entry says it is stdio and goes under `servers`", () => {
    const vscode = agentEntry({
      client: "vscode",
      packageName: "p",
      serversConfig: "/m.json",
      gatewayUrl: "",
      apiKey: "",
    });
    expect(vscode.type).toBe("stdio");
    expect(mergeClientConfig(null, "vscode", "mcpx", vscode)).toEqual({
      servers: { mcpx: vscode },
    });
  });

  it("keeps every other key and server of an existing file, and replaces its own entry", () => {
    const existing = JSON.stringify({
      theme: "dark",
      mcpServers: { github: { command: "gh-mcp" }, mcpx: { command: "old" } },
    });
    expect(mergeClientConfig(existing, "claude", "mcpx", entry)).toEqual({
      theme: "dark",
      mcpServers: { github: { command: "gh-mcp" }, mcpx: entry },
    });
  });

  it("refuses a file that is not a JSON object, or whose servers are not an object", () => {
    expect(() => mergeClientConfig("{ not json", "cursor", "mcpx", entry)).toThrow(
      /not valid JSON/,
    );
    expect(() => mergeClientConfig("[1]", "cursor", "mcpx", entry)).toThrow(/not a JSON object/);
    expect(() => mergeClientConfig('{"mcpServers": 3}', "cursor", "mcpx", entry)).toThrow(
      /"mcpServers" that is not an object/,
    );
  });

  it("knows where each client reads its config by default", () => {
    const place = { home: "/home/me", cwd: "/work/project" };
    expect(defaultClientConfigPath("claude", { ...place, platform: "darwin" })).toBe(
      "/home/me/Library/Application Support/Claude/claude_desktop_config.json",
    );
    expect(defaultClientConfigPath("claude", { ...place, platform: "linux" })).toBe(
      "/home/me/.config/Claude/claude_desktop_config.json",
    );
    expect(defaultClientConfigPath("cursor", { ...place, platform: "linux" })).toBe(
      "/home/me/.cursor/mcp.json",
    );
    expect(defaultClientConfigPath("vscode", { ...place, platform: "linux" })).toBe(
      "/work/project/.vscode/mcp.json",
    );
  });
});
