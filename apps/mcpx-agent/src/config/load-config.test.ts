import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./load-config";

const env = { SLACK_TOKEN: "xoxb-1", HOME: "/home/u" };

function config(servers: Record<string, unknown>) {
  return JSON.stringify({ mcpServers: servers });
}

describe("parseConfig", () => {
  it("reads Claude Desktop's mcpServers map: stdio and remote entries", () => {
    const servers = parseConfig(
      config({
        slack: {
          command: "npx",
          args: ["-y", "@modelcontextprotocol/server-slack"],
          env: { SLACK_BOT_TOKEN: "${SLACK_TOKEN}" },
        },
        remote: {
          url: "https://mcp.example.com/mcp",
          headers: { authorization: "Bearer ${SLACK_TOKEN}" },
        },
      }),
      env,
    );
    expect(servers.get("slack")).toMatchObject({
      command: "npx",
      env: { SLACK_BOT_TOKEN: "xoxb-1" },
    });
    expect(servers.get("remote")).toMatchObject({ headers: { authorization: "Bearer xoxb-1" } });
  });

  it("expands defaults and keeps an escaped $${VAR} literal", () => {
    const servers = parseConfig(
      config({ s: { command: "x", args: ["${NOPE:-fallback}", "$${HOME}"] } }),
      env,
    );
    expect(servers.get("s")).toMatchObject({ args: ["fallback", "${HOME}"] });
  });

  it('takes "prefix": false on stdio and remote entries, and refuses a prefix that is not a boolean', () => {
    const servers = parseConfig(
      config({
        local: { command: "x", prefix: false },
        remote: { url: "https://mcp.example.com/mcp", prefix: false },
      }),
      env,
    );
    expect(servers.get("local")).toMatchObject({ prefix: false });
    expect(servers.get("remote")).toMatchObject({ prefix: false });
    expect(() => parseConfig(config({ local: { command: "x", prefix: "no" } }), env)).toThrow(
      /server "local": field "prefix"/,
    );
  });

  it("skips disabled servers", () => {
    expect(parseConfig(config({ s: { command: "x", disabled: true } }), env).size).toBe(0);
  });

  it.each([
    ["not JSON", "{", /not valid JSON/],
    ["no mcpServers", JSON.stringify({ servers: {} }), /mcpServers/],
    [
      "a missing variable",
      config({ slack: { command: "x", env: { T: "${MISSING}" } } }),
      /server "slack", field "env.T": \$\{MISSING\} is not set/,
    ],
    [
      "neither command nor url",
      config({ odd: { args: [] } }),
      /server "odd": needs either "command" \(stdio\) or "url"/,
    ],
    [
      "a typo in a field name",
      config({ slack: { command: "x", arg: ["a"] } }),
      /server "slack": field "arg"|server "slack".*arg/,
    ],
    [
      "args of the wrong type",
      config({ slack: { command: "x", args: "a b" } }),
      /server "slack": field "args"/,
    ],
    ["a non-http url", config({ r: { url: "file:///etc/passwd" } }), /server "r": field "url"/],
    ["a bad server name", config({ "bad name!": { command: "x" } }), /server names are/],
  ])("rejects %s with an error naming the place", (_label, text, message) => {
    expect(() => parseConfig(text, env)).toThrow(ConfigError);
    expect(() => parseConfig(text, env)).toThrow(message);
  });
});
