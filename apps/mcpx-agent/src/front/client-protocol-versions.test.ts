import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import {
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "@modelcontextprotocol/sdk/types.js";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAgent, startAgent } from "../agent-runtime";
import { createAggregateServer } from "../aggregator/aggregate-server";
import { formatStatus } from "../status/format-status";
import { readStatus } from "../status/status-file";
import { writeConfig } from "../testing/fixture-config";
import { UpstreamPool } from "../upstream/upstream-pool";
import { type ClientSessionStatus, noteNegotiatedVersion } from "./client-session-status";

const log = pino({ level: "silent" });

/** An initialize sent by hand, so the client can ask for any protocol version. */
async function rawInitialize(port: number, protocolVersion: string, name: string) {
  const response = await fetch(`http://127.0.0.1:${port}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion, capabilities: {}, clientInfo: { name, version: "1.0" } },
    }),
  });
  expect(response.status).toBe(200);
  const body = await response.text();
  const data = body.split("\n").find((line) => line.startsWith("data: "));
  const message = JSON.parse(data ? data.slice(6) : body) as {
    result: { protocolVersion: string };
  };
  return {
    session: response.headers.get("mcp-session-id") ?? "",
    negotiated: message.result.protocolVersion,
  };
}

describe("protocol versions negotiated with clients, in status", { timeout: 30_000 }, () => {
  let agent: RunningAgent;
  let stateDir: string;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "mcpx-state-"));
    agent = await startAgent({
      configPath: await writeConfig({}),
      stdio: false,
      http: { port: 0, host: "127.0.0.1" },
      stateDir,
      agentId: "00000000-0000-4000-8000-000000000000",
      name: "test",
      log,
      env: process.env,
      events: { record: () => {} },
    });
  });
  afterAll(async () => {
    await agent?.close();
  });

  async function clientsInStatus(sessions: string[]): Promise<ClientSessionStatus[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const clients = (await readStatus(stateDir))?.clients ?? [];
      const found = sessions.map((id) => clients.find((c) => id.startsWith(c.session ?? "-")));
      if (found.every(Boolean)) return found as ClientSessionStatus[];
      if (Date.now() > deadline)
        throw new Error(`sessions not in status: ${JSON.stringify(clients)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("answers each HTTP session with the version it asked for, and status says which", async () => {
    const older = await rawInitialize(agent.httpPort ?? 0, "2025-03-26", "older-client");
    const newer = await rawInitialize(agent.httpPort ?? 0, "2025-06-18", "newer-client");
    const sdk = new Client({ name: "sdk-client", version: "2.0" });
    const transport = new StreamableHTTPClientTransport(
      new URL(`http://127.0.0.1:${agent.httpPort}/mcp`),
    );
    await sdk.connect(transport);
    expect([older.negotiated, newer.negotiated]).toEqual(["2025-03-26", "2025-06-18"]);
    expect(transport.protocolVersion).toBe(LATEST_PROTOCOL_VERSION);

    const [a, b, c] = await clientsInStatus([
      older.session,
      newer.session,
      transport.sessionId ?? "",
    ]);
    expect(a).toMatchObject({
      front: "http",
      session: older.session.slice(0, 8),
      client: { name: "older-client", version: "1.0" },
      protocolVersion: "2025-03-26",
    });
    expect(b).toMatchObject({ client: { name: "newer-client" }, protocolVersion: "2025-06-18" });
    expect(c).toMatchObject({
      client: { name: "sdk-client" },
      protocolVersion: LATEST_PROTOCOL_VERSION,
    });
    expect(Date.parse(a?.connectedSince ?? "")).not.toBeNaN();
    // Only a prefix of the session id is written down.
    expect(JSON.stringify(await readStatus(stateDir))).not.toContain(older.session);

    const text = formatStatus(await readStatus(stateDir));
    expect(text).toContain("  clients\n");
    expect(text).toMatch(
      new RegExp(`http ${older.session.slice(0, 8)} +older-client 1\\.0 +2025-03-26  since `),
    );
    await sdk.close();
  });

  it("accepts every protocol version the SDK supports", async () => {
    for (const version of SUPPORTED_PROTOCOL_VERSIONS) {
      const { negotiated, session } = await rawInitialize(agent.httpPort ?? 0, version, "each");
      expect(negotiated).toBe(version);
      const [status] = await clientsInStatus([session]);
      expect(status?.protocolVersion).toBe(version);
    }
  });

  it("answers an unsupported version with the latest, as the SDK does, and status says so", async () => {
    const { negotiated, session } = await rawInitialize(
      agent.httpPort ?? 0,
      "1999-01-01",
      "from-the-past",
    );
    expect(negotiated).toBe(LATEST_PROTOCOL_VERSION);
    const [status] = await clientsInStatus([session]);
    expect(status).toMatchObject({
      client: { name: "from-the-past" },
      protocolVersion: LATEST_PROTOCOL_VERSION,
    });
  });

  it("drops a session from status when it ends", async () => {
    const { session } = await rawInitialize(agent.httpPort ?? 0, "2025-03-26", "leaving");
    await clientsInStatus([session]);
    const response = await fetch(`http://127.0.0.1:${agent.httpPort}/mcp`, {
      method: "DELETE",
      headers: { "mcp-session-id": session, "mcp-protocol-version": "2025-03-26" },
    });
    expect(response.status).toBe(200);
    const deadline = Date.now() + 10_000;
    while (
      (await readStatus(stateDir))?.clients?.some((c) => session.startsWith(c.session ?? "-"))
    ) {
      if (Date.now() > deadline) throw new Error("ended session still in status");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});

describe("the stdio front's one session (same server and hook, in memory)", () => {
  it("notes the client and the version negotiated with it", async () => {
    const pool = new UpstreamPool(log);
    const { server, dispose } = createAggregateServer(pool, { record: () => {} });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const noted: unknown[] = [];
    noteNegotiatedVersion(server, serverSide, (negotiated) => noted.push(negotiated));
    await server.connect(serverSide);
    const client = new Client({ name: "desktop", version: "3.1" });
    await client.connect(clientSide);
    expect(noted).toEqual([
      {
        client: { name: "desktop", version: "3.1" },
        protocolVersion: LATEST_PROTOCOL_VERSION,
        connectedSince: expect.any(String),
      },
    ]);
    await client.close();
    dispose();
  });
});
