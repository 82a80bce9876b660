import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  StreamableHTTPClientTransport,
  type StreamableHTTPClientTransportOptions,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type HeldToolServer, startHeldToolServer } from "../testing/held-tool-server";
import { ManualIdleTimers } from "../testing/manual-idle-timers";
import { UpstreamPool } from "../upstream/upstream-pool";
import type { CatalogKind } from "../upstream/upstream-server";
import { type HttpFront, startHttpFront } from "./http-front";
import type { HttpSessionLimits, SessionEndReason } from "./http-session-table";

const log = pino({ level: "silent" });

/** A client that never opens the GET stream for server notifications (the spec allows it). */
const withoutNotificationStream: StreamableHTTPClientTransportOptions["fetch"] = async (
  url,
  init,
) => ((init?.method ?? "GET") === "GET" ? new Response(null, { status: 405 }) : fetch(url, init));

/** Counts the per-session subscriptions every MCP session's aggregate server holds. */
class SubscriptionCountingPool extends UpstreamPool {
  subscriptions = 0;

  override onCatalogChanged(listener: (kinds: CatalogKind[]) => void): () => void {
    this.subscriptions++;
    const unsubscribe = super.onCatalogChanged(listener);
    return () => {
      this.subscriptions--;
      unsubscribe();
    };
  }
}

describe("HTTP front sessions: idle expiry, cap, 404", { timeout: 30_000 }, () => {
  let held: HeldToolServer;
  let pool: SubscriptionCountingPool;
  let cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    held = await startHeldToolServer();
    pool = new SubscriptionCountingPool(log);
    await pool.apply(new Map([["held", { url: held.url, headers: {} }]]));
    await pool.settled(10_000);
  });
  afterEach(async () => {
    held.release();
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups = [];
  });
  afterAll(async () => {
    await pool.stopAll();
    await held.close();
  });

  async function startFront(
    sessions: Partial<HttpSessionLimits>,
    sessionTimers?: ManualIdleTimers,
  ): Promise<HttpFront> {
    const front = await startHttpFront(
      pool,
      { record: () => {} },
      { port: 0, host: "127.0.0.1", sessions, sessionTimers, log },
    );
    cleanups.push(() => front.close());
    return front;
  }

  /** Resolves once `check` holds, checked now and on every session change. */
  function sessionsWhen(
    front: HttpFront,
    check: (sessions: HttpFront["sessions"]) => boolean,
    what: string,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        unsubscribe();
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out waiting for ${what}`));
      }, 10_000);
      const unsubscribe = front.sessions.onChange(() => {
        if (!check(front.sessions)) return;
        finish();
        resolve();
      });
      if (check(front.sessions)) {
        finish();
        resolve();
      }
    });
  }

  async function connect(
    front: HttpFront,
    options: StreamableHTTPClientTransportOptions = {},
  ): Promise<{ client: Client; transport: StreamableHTTPClientTransport; id: string }> {
    const transport = new StreamableHTTPClientTransport(
      new URL(`http://127.0.0.1:${front.port}/mcp`),
      options,
    );
    const client = new Client({ name: "sessions-test", version: "1" });
    await client.connect(transport);
    cleanups.push(() => client.close());
    return { client, transport, id: transport.sessionId as string };
  }

  /** Starts a call of the held tool and waits until it reached the server (it is in progress). */
  async function startHeldCall(client: Client): Promise<{ done: Promise<unknown> }> {
    const reached = held.nextCall();
    const done = client.callTool({ name: "held__hold", arguments: {} });
    // Handled here too, so a test that fails before awaiting it reports its own failure.
    done.catch(() => {});
    await reached;
    return { done };
  }

  /** Resolves with the reason once session `id` ends (subscribe before causing it). */
  function sessionEnd(front: HttpFront, id: string): Promise<SessionEndReason> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`session ${id} did not end`));
      }, 10_000);
      const unsubscribe = front.sessions.onChange((change) => {
        if (change.kind !== "ended" || change.id !== id) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(change.reason);
      });
    });
  }

  /** A raw tools/list naming session `id`, as a client that kept the id would send it. */
  async function postToSession(front: HttpFront, id: string) {
    const response = await fetch(`http://127.0.0.1:${front.port}/mcp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": id,
        "mcp-protocol-version": LATEST_PROTOCOL_VERSION,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  }

  it("closes a session its client left without DELETE once idle; its id then gets 404, and the client can start again", async () => {
    // Real timers here, short ones: the one test that waits for the timeout itself.
    const front = await startFront({ idleTimeoutMs: 1_000 });
    const { client, id } = await connect(front);
    expect((await postToSession(front, id)).status).toBe(200);
    const ended = sessionEnd(front, id);
    await client.close(); // the SDK client's close sends no DELETE
    expect(await ended).toBe("idle");
    expect(front.sessions.has(id)).toBe(false);

    const answer = await postToSession(front, id);
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ jsonrpc: "2.0", error: { code: -32001 }, id: null });
    const again = await connect(front);
    expect((await again.client.listTools()).tools.map((tool) => tool.name)).toEqual(["held__hold"]);
  });

  it("never expires a session in use: neither during a tool call longer than the timeout nor while its client listens for notifications", async () => {
    const clock = new ManualIdleTimers();
    const front = await startFront({ idleTimeoutMs: 1_000 }, clock);
    const listening = await connect(front);
    await sessionsWhen(front, (s) => s.inUse(listening.id), "the notification stream to open");
    const calling = await connect(front, { fetch: withoutNotificationStream });
    const call = await startHeldCall(calling.client);
    // Without a notification stream, nothing of it can still be on its way after close().
    const abandoned = await connect(front, { fetch: withoutNotificationStream });
    await abandoned.client.close();
    await sessionsWhen(front, (s) => !s.inUse(abandoned.id), "the abandoned session to be idle");

    clock.advance(60_000);
    expect(front.sessions.has(abandoned.id)).toBe(false);
    expect(front.sessions.has(calling.id)).toBe(true);
    expect(front.sessions.has(listening.id)).toBe(true);

    held.release();
    expect(await call.done).toMatchObject({ content: [{ type: "text", text: "released" }] });
    await sessionsWhen(front, (s) => !s.inUse(calling.id), "the call to be over");
    clock.advance(999);
    expect(front.sessions.has(calling.id)).toBe(true);
    // Once its call is over and it sends nothing more, the quiet session goes the same way.
    clock.advance(1);
    expect(front.sessions.has(calling.id)).toBe(false);
    expect(front.sessions.has(listening.id)).toBe(true);
    expect((await listening.client.listTools()).tools).toHaveLength(1);
  });

  it("keeps at most maxSessions: sessions left without DELETE make room, least recently used first", async () => {
    const front = await startFront({ maxSessions: 4 });
    let mostLive = 0;
    front.sessions.onChange((change) => {
      mostLive = Math.max(mostLive, change.live);
    });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const { client, id } = await connect(front);
      ids.push(id);
      await client.close();
      await sessionsWhen(front, (s) => !s.inUse(id), "the closed client's stream to end");
      expect(front.sessions.size).toBeLessThanOrEqual(4);
    }
    expect(mostLive).toBe(4);
    expect(ids.slice(-4).every((id) => front.sessions.has(id))).toBe(true);
    // What an evicted session held is released, not just forgotten by the table.
    expect(pool.subscriptions).toBe(4);
    expect((await postToSession(front, ids[0] as string)).status).toBe(404);
  });

  it("refuses a new session with 503 while every session is in use, instead of cutting one off", async () => {
    const front = await startFront({ maxSessions: 2 });
    const first = await connect(front, { fetch: withoutNotificationStream });
    const second = await connect(front, { fetch: withoutNotificationStream });
    const calls = [await startHeldCall(first.client), await startHeldCall(second.client)];
    await expect(connect(front)).rejects.toMatchObject({ code: 503 });

    const refused = await fetch(`http://127.0.0.1:${front.port}/mcp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: LATEST_PROTOCOL_VERSION,
          capabilities: {},
          clientInfo: { name: "raw", version: "1" },
        },
      }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(await refused.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 } });

    held.release();
    await Promise.all(calls.map((call) => call.done));
    // A client that ends its session with DELETE frees its place at once.
    await first.transport.terminateSession();
    expect(front.sessions.has(first.id)).toBe(false);
    await connect(front);
    expect(front.sessions.size).toBe(2);
  });
});
