import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createAggregateServer } from "../aggregator/aggregate-server";
import type { EventSink } from "../reporter/event-sink";
import type { UpstreamPool } from "../upstream/upstream-pool";
import { type ClientSessionStatus, noteNegotiatedVersion } from "./client-session-status";

/** The default front end (Claude Desktop): MCP on our stdin/stdout; logs go to stderr only. */
export async function startStdioFront(
  pool: UpstreamPool,
  events: EventSink,
  /** Called when the client's initialize is answered (the status file is written again). */
  onClientsChanged: () => void = () => {},
): Promise<{ clients(): ClientSessionStatus[]; close(): Promise<void> }> {
  const { server, dispose } = createAggregateServer(pool, events);
  const transport = new StdioServerTransport();
  let client: ClientSessionStatus | null = null;
  noteNegotiatedVersion(server, transport, (negotiated) => {
    client = { front: "stdio", session: null, ...negotiated };
    onClientsChanged();
  });
  await server.connect(transport);
  return {
    clients: () => (client ? [client] : []),
    async close() {
      dispose();
      await server.close();
    },
  };
}
