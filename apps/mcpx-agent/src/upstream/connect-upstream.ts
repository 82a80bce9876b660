import {
  type OAuthClientProvider,
  UnauthorizedError,
} from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { isStdio, type TServerConfig } from "../config/mcp-config-schema";

export const AGENT_CLIENT_INFO = { name: "mcpx-agent", version: "0.1.0" };

export interface ConnectedUpstream {
  client: Client;
  /** The MCP protocol version agreed at initialize. */
  protocolVersion: () => string | null;
  /** How the connection was made, for status output. */
  transport: "stdio" | "http" | "sse";
  pid: number | null;
}

export interface ConnectOptions {
  /** Extra environment for spawned servers (the egress proxy settings live here). */
  childEnv?: Record<string, string>;
  /** Each line a stdio server writes to stderr (never to our stdout: that is the MCP channel). */
  onStderrLine?: (line: string) => void;
  /** Declare sampling, elicitation and roots: the agent relays them to its clients. */
  relay?: boolean;
  /** Called with each client before it connects (request and notification handlers). */
  setup?: (client: Client) => void;
  /** OAuth for a remote server that requires it (tokens, registration, the user's consent). */
  authProvider?: OAuthClientProvider;
}

/** What the agent can pass on to its own clients when a server asks (see ClientRelay). */
export const RELAYED_CLIENT_CAPABILITIES = {
  sampling: {},
  elicitation: { form: {}, url: {} },
  roots: { listChanged: true },
};

/**
 * Connects an MCP client to one configured server: spawns a stdio server, or opens a remote one
 * over Streamable HTTP, falling back to the older SSE transport when the server does not speak it.
 */
export async function connectUpstream(
  config: TServerConfig,
  options: ConnectOptions = {},
): Promise<ConnectedUpstream> {
  const newClient = () => {
    const client = new Client(AGENT_CLIENT_INFO, {
      capabilities: options.relay ? RELAYED_CLIENT_CAPABILITIES : {},
    });
    options.setup?.(client);
    return client;
  };
  const client = newClient();
  if (isStdio(config)) {
    const transport = new StdioClientTransport({
      command: config.command,
      args: config.args,
      env: { ...getDefaultEnvironment(), ...inheritedPath(), ...config.env, ...options.childEnv },
      cwd: config.cwd,
      stderr: "pipe",
    });
    const stderr = transport.stderr;
    if (stderr && options.onStderrLine) {
      let buffered = "";
      stderr.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) if (line) options.onStderrLine?.(line);
      });
    }
    const noted = noteProtocolVersion(transport);
    await client.connect(transport);
    return { client, transport: "stdio", pid: transport.pid, protocolVersion: noted.version };
  }
  const url = new URL(config.url);
  const requestInit = { headers: config.headers };
  const authProvider = options.authProvider;
  if (config.type !== "sse") {
    try {
      const noted = noteProtocolVersion(
        new StreamableHTTPClientTransport(url, { requestInit, authProvider }),
      );
      await client.connect(noted.transport);
      return { client, transport: "http", pid: null, protocolVersion: noted.version };
    } catch (error) {
      if (config.type === "http" || config.type === "streamable-http") throw error;
      if (error instanceof UnauthorizedError) throw error;
      // Servers from before Streamable HTTP answer its POST with 4xx: try their SSE endpoint.
    }
  }
  const sseClient = newClient();
  const noted = noteProtocolVersion(new SSEClientTransport(url, { requestInit, authProvider }));
  await sseClient.connect(noted.transport);
  return { client: sseClient, transport: "sse", pid: null, protocolVersion: noted.version };
}

/**
 * Notes the protocol version the client agrees on at initialize: the SDK's client hands it to
 * the transport's `setProtocolVersion` (part of the Transport interface) on every transport.
 */
function noteProtocolVersion<T extends Transport>(
  transport: T,
): { transport: T; version: () => string | null } {
  let version: string | null = null;
  const forward = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (agreed: string) => {
    version = agreed;
    forward?.(agreed);
  };
  return { transport, version: () => version };
}

/** getDefaultEnvironment() keeps PATH; npx-launched servers also need npm's own variables. */
function inheritedPath(): Record<string, string> {
  const keep = ["PATH", "HOME", "npm_config_cache", "NODE_PATH"];
  return Object.fromEntries(
    keep.flatMap((key) => (process.env[key] ? [[key, process.env[key] as string]] : [])),
  );
}
