import { describe, expect, it } from "vitest";
import { formatStatus } from "./format-status";
import type { AgentStatus } from "./status-file";

const status: AgentStatus = {
  pid: process.pid,
  startedAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:02.000Z",
  agentId: "00000000-0000-4000-8000-000000000000",
  name: "laptop",
  config: "/home/me/mcp.json",
  http: null,
  gateway: { configured: true, connected: true, url: "ws://127.0.0.1:1/agent", lastError: null },
  spool: { events: 3, bytes: 900, dropped: 5, damaged: 2 },
  servers: [],
};

describe("mcpx-agent status", () => {
  it("says how many of the dropped events were found damaged on disk", () => {
    expect(formatStatus(status)).toContain(
      "spool     3 events, 900 bytes, 5 dropped (2 found damaged on disk)",
    );
  });

  it("says nothing about damage when there was none, or when an older agent wrote the status", () => {
    const { damaged: _, ...older } = status.spool as NonNullable<AgentStatus["spool"]>;
    for (const spool of [{ ...older, damaged: 0 }, older]) {
      expect(formatStatus({ ...status, spool })).toContain(
        "spool     3 events, 900 bytes, 5 dropped\n",
      );
    }
  });

  it("shows each server's state, the MCP protocol version agreed with it, and why one failed", () => {
    const servers: AgentStatus["servers"] = [
      {
        name: "everything",
        state: "ready",
        transport: "http",
        protocolVersion: "2025-11-25",
        pid: null,
        restarts: 0,
        lastError: null,
        tools: 14,
      },
      {
        name: "again",
        state: "failed",
        transport: "stdio",
        protocolVersion: null,
        pid: 42,
        restarts: 0,
        lastError: 'tool "x" of server "again" clashes with the one of server "everything"',
        tools: 0,
      },
    ];
    const text = formatStatus({ ...status, servers });
    expect(text).toContain("everything           ready       14 tools  http 2025-11-25\n");
    expect(text).toContain(
      'again                failed       0 tools  stdio  (tool "x" of server "again" clashes with the one of server "everything")',
    );
  });

  it("shows why a server is restarting, how many attempts failed since, and the last error", () => {
    const servers: AgentStatus["servers"] = [
      {
        name: "remote",
        state: "restarting",
        transport: "http",
        protocolVersion: "2025-11-25",
        pid: null,
        restarts: 3,
        reason: "the server no longer knows our session (HTTP 404)",
        attempts: 2,
        lastError: "fetch failed",
        tools: 0,
      },
    ];
    expect(formatStatus({ ...status, servers })).toContain(
      "remote               restarting   0 tools  http 2025-11-25  restarts 3  (the server no longer knows our session (HTTP 404); 2 failed attempt(s); last error: fetch failed)",
    );
  });

  it("shows the URL to open for a server waiting for OAuth authorization", () => {
    const servers: AgentStatus["servers"] = [
      {
        name: "secure",
        state: "authorizing",
        transport: null,
        pid: null,
        restarts: 0,
        reason: null,
        attempts: 0,
        authorizationUrl: "http://127.0.0.1:9/authorize?client_id=x",
        lastError: null,
        tools: 0,
      },
    ];
    expect(formatStatus({ ...status, servers })).toContain(
      "secure               authorizing   0 tools    (authorize: open http://127.0.0.1:9/authorize?client_id=x)",
    );
  });

  it("lists connected clients with the protocol version negotiated with each", () => {
    const clients: AgentStatus["clients"] = [
      {
        front: "stdio",
        session: null,
        client: { name: "claude-ai", version: "0.1.0" },
        protocolVersion: "2025-06-18",
        connectedSince: "2026-01-01T00:00:01.000Z",
      },
      {
        front: "http",
        session: "0123abcd",
        client: null,
        protocolVersion: "2025-11-25",
        connectedSince: "2026-01-01T00:00:02.000Z",
      },
    ];
    const text = formatStatus({ ...status, clients });
    expect(text).toContain(
      "  clients\n    stdio                claude-ai 0.1.0                2025-06-18  since 2026-01-01T00:00:01.000Z\n" +
        "    http 0123abcd        (unnamed client)               2025-11-25  since 2026-01-01T00:00:02.000Z",
    );
    expect(formatStatus({ ...status, clients: [] })).toContain("  clients\n    none");
    expect(formatStatus(status)).not.toContain("clients");
  });
});
