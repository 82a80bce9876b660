import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/** One connected client session, as `mcpx-agent status` shows it. */
export interface ClientSessionStatus {
  front: "stdio" | "http";
  /** The first characters of the HTTP session id (never all of it); null on stdio. */
  session: string | null;
  /** `clientInfo` from the client's initialize (Server.getClientVersion()). */
  client: { name: string; version: string } | null;
  /** The MCP protocol version the agent answered the client's initialize with. */
  protocolVersion: string;
  /** When that initialize was answered (ISO time). */
  connectedSince: string;
}

export const SESSION_ID_PREFIX_LENGTH = 8;

/**
 * Calls `onNegotiated` each time the agent answers an initialize on `transport`, with the
 * protocol version it agreed: the SDK's server picks the client's version when it is one of
 * SUPPORTED_PROTOCOL_VERSIONS and LATEST_PROTOCOL_VERSION otherwise, and keeps no public record
 * of it, so this reads it from the initialize result as it is sent (`Transport.send`, public).
 * Call before `server.connect(transport)`.
 */
export function noteNegotiatedVersion(
  server: Server,
  transport: Transport,
  onNegotiated: (
    status: Pick<ClientSessionStatus, "client" | "protocolVersion" | "connectedSince">,
  ) => void,
): void {
  const send = transport.send.bind(transport);
  transport.send = async (message, options) => {
    const protocolVersion = initializeResultVersion(message);
    if (protocolVersion !== null) {
      const info = server.getClientVersion();
      onNegotiated({
        client: info ? { name: info.name, version: info.version } : null,
        protocolVersion,
        connectedSince: new Date().toISOString(),
      });
    }
    return send(message, options);
  };
}

/** The protocol version of an initialize result (the only result with `serverInfo`), else null. */
function initializeResultVersion(message: JSONRPCMessage): string | null {
  if (!("result" in message) || typeof message.result !== "object" || message.result === null)
    return null;
  const result = message.result as { protocolVersion?: unknown; serverInfo?: unknown };
  return typeof result.protocolVersion === "string" && typeof result.serverInfo === "object"
    ? result.protocolVersion
    : null;
}
