import { createDb, type Db } from "@lunar/db";
import { createTestDatabase, createTestPool, type TestDatabase } from "@lunar/db/testing";
import type { TAgentEvent } from "@lunar/shared";
import { CLOSE_CODES } from "@lunar/shared";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedOrgWithKey } from "./testing/seed";
import { exited, freePort, spawnGateway } from "./testing/spawn-gateway";
import { TcpPauseProxy } from "./testing/tcp-pause-proxy";
import { TestAgent, toolCallEvent } from "./testing/test-agent";
import { startTestGateway } from "./testing/test-gateway";

// Spawning real gateway processes takes seconds on a 2-core machine.
describe("durability across gateway crashes, restarts and instances", { timeout: 60_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  let pool: pg.Pool;
  let org: Awaited<ReturnType<typeof seedOrgWithKey>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
    pool = createTestPool(database.url);
    org = await seedOrgWithKey(db, "durable");
  });
  afterAll(async () => {
    await pool.end();
    await db.$disconnect();
    await database.drop();
  });

  it("killed with SIGKILL mid-stream and restarted: every event stored exactly once after resend", async () => {
    const port = await freePort();
    let gateway = await spawnGateway(database.url, port);
    const batches = Array.from({ length: 30 }, () =>
      Array.from({ length: 100 }, () => toolCallEvent()),
    );
    // What an agent's spool holds: every batch until its ack arrives.
    const unacked = new Map<number, TAgentEvent[]>(batches.map((events, seq) => [seq, events]));

    const agent = await TestAgent.ready(port, org.apiKey);
    for (const [seq, events] of unacked) agent.sendEvents(seq, events);
    for (let i = 0; i < 3; i++) unacked.delete((await agent.next("ack")).seq);
    gateway.kill("SIGKILL");
    await exited(gateway);
    await agent.closedWith();
    for (const frame of agent.frames) if (frame.type === "ack") unacked.delete(frame.seq);
    expect(unacked.size).toBeGreaterThan(0);

    gateway = await spawnGateway(database.url, port);
    const again = await TestAgent.ready(port, org.apiKey);
    for (const [seq, events] of unacked) again.sendEvents(seq, events);
    while (unacked.size > 0) unacked.delete((await again.next("ack", 15_000)).seq);
    again.close();
    gateway.kill("SIGTERM");
    await exited(gateway);

    const ids = batches.flat().map((event) => event.id);
    const { rows } = await pool.query<{ total: string; distinct: string }>(
      "SELECT count(*) AS total, count(DISTINCT event_id) AS distinct FROM events WHERE event_id = ANY($1)",
      [ids],
    );
    expect(rows[0]).toEqual({ total: String(ids.length), distinct: String(ids.length) });
  });

  it("on SIGTERM with Postgres gone, gives up the drain after DRAIN_TIMEOUT_MS and exits 1 (unacked stays with the agent)", async () => {
    const target = new URL(database.url);
    const proxy = new TcpPauseProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const viaProxy = new URL(database.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    const port = await freePort();
    const gateway = await spawnGateway(viaProxy.toString(), port, {
      env: { DRAIN_TIMEOUT_MS: "1000" },
    });
    const agent = await TestAgent.ready(port, org.apiKey);
    proxy.refuse();
    agent.sendEvents(0, [toolCallEvent()]);
    agent.sendJson({ type: "ping", ts: 1 });
    await agent.next("pong");
    gateway.kill("SIGTERM");
    expect(await exited(gateway)).toBe(1);
    expect(agent.frames.some((frame) => frame.type === "ack")).toBe(false);
    await proxy.stop();
  });

  it("on SIGTERM commits and acks what it received, then closes agents with 1001", async () => {
    const port = await freePort();
    const gateway = await spawnGateway(database.url, port);
    const agent = await TestAgent.ready(port, org.apiKey);
    const batches = Array.from({ length: 20 }, () =>
      Array.from({ length: 200 }, () => toolCallEvent()),
    );
    for (const [seq, events] of batches.entries()) agent.sendEvents(seq, events);
    // Wait for the first ack, so the gateway is mid-stream, then ask it to stop.
    await agent.next("ack");
    gateway.kill("SIGTERM");
    expect((await agent.closedWith(15_000)).code).toBe(CLOSE_CODES.goingAway);
    expect(await exited(gateway)).toBe(0);

    const acked = agent.frames.filter((f) => f.type === "ack").length + 1;
    const ackedIds = batches
      .slice(0, acked)
      .flat()
      .map((e) => e.id);
    const stored = await pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM events WHERE event_id = ANY($1)",
      [batches.flat().map((e) => e.id)],
    );
    // Everything acked is stored; nothing is stored that was not acked.
    expect(Number(stored.rows[0]?.n)).toBe(ackedIds.length);
  });

  it("with two gateways on one database, a live-log listener sees batches that arrived at either", async () => {
    const first = await startTestGateway(database.url);
    const second = await startTestGateway(database.url);
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    await listener.query("LISTEN lunar_events");
    const seen = new Set<string>();
    const bothSeen = new Promise<void>((resolve) => {
      listener.on("notification", (message) => {
        const payload = JSON.parse(message.payload ?? "{}") as { orgId: string; count: number };
        if (payload.orgId === org.orgId) seen.add(String(payload.count));
        if (seen.has("2") && seen.has("3")) resolve();
      });
    });
    const viaFirst = await TestAgent.ready(first.port, org.apiKey);
    const viaSecond = await TestAgent.ready(second.port, org.apiKey);
    viaFirst.sendEvents(1, [toolCallEvent(), toolCallEvent()]);
    viaSecond.sendEvents(1, [toolCallEvent(), toolCallEvent(), toolCallEvent()]);
    await bothSeen;
    viaFirst.close();
    viaSecond.close();
    await listener.end();
    await first.close();
    await second.close();
  });
});
