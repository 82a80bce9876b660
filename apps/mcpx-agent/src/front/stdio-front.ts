import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createAggregateServer } from "../aggregator/aggregate-server";
import type { EventSink } from "../reporter/event-sink";
import type { UpstreamPool } from "../upstream/upstream-pool";

/** The default front end (Claude Desktop): MCP on our stdin/stdout; logs go to stderr only. */
export async function startStdioFront(
  pool: UpstreamPool,
  events: EventSink,
): Promise<{ close(): Promise<void> }> {
  const { server, dispose } = createAggregateServer(pool, events);
  const transport = new StdioServerTransport();
  await server.connect(transport);
  return {
    async close() {
      dispose();
      await server.close();
    },
  };
}
