import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

export interface HeldToolServer {
  url: string;
  /** Resolves when the next call of `hold` has reached the server. */
  nextCall(): Promise<void>;
  /** Lets every `hold` call in progress answer. */
  release(): void;
  close(): Promise<void>;
}

/** A promise and its resolve (Promise.withResolvers is Node 22; we run on 20). */
function signal(): { promise: Promise<void>; resolve(): void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/**
 * A remote MCP server (stateless Streamable HTTP on a loopback port) with one tool, `hold`, that
 * answers only when the test calls `release()`: a tool call exactly as long as a test needs.
 */
export async function startHeldToolServer(): Promise<HeldToolServer> {
  let released = signal();
  let called = signal();
  const http: Server = createServer(async (req, res) => {
    const server = new McpServer({ name: "held", version: "1.0.0" });
    server.registerTool("hold", { description: "Answers once released" }, async () => {
      called.resolve();
      await released.promise;
      return { content: [{ type: "text", text: "released" }] };
    });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => void server.close());
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    nextCall: () => {
      called = signal();
      return called.promise;
    },
    release: () => {
      released.resolve();
      released = signal();
    },
    close: () =>
      new Promise((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
