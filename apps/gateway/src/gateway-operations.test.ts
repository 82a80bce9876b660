import { createDb, type Db } from "@lunar/db";
import { createTestDatabase, createTestPool, type TestDatabase } from "@lunar/db/testing";
import { CLOSE_CODES } from "@lunar/shared";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "./server";
import { seedOrgWithKey } from "./testing/seed";
import { TcpPauseProxy } from "./testing/tcp-pause-proxy";
import { TestAgent, toolCallEvent } from "./testing/test-agent";
import { startTestGateway } from "./testing/test-gateway";

describe("gateway operations", { timeout: 30_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  let pool: pg.Pool;
  let gateway: RunningGateway;
  let org: Awaited<ReturnType<typeof seedOrgWithKey>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
    pool = createTestPool(database.url);
    org = await seedOrgWithKey(db, "ops");
    gateway = await startTestGateway(database.url);
  });
  afterAll(async () => {
    await gateway.close();
    await pool.end();
    await db.$disconnect();
    await database.drop();
  });

  it("answers a second hello with duplicate_hello and keeps the connection", async () => {
    const agent = await TestAgent.ready(gateway.port, org.apiKey);
    agent.hello();
    expect(await agent.next("error")).toMatchObject({ code: "duplicate_hello" });
    agent.sendJson({ type: "ping", ts: 5 });
    expect(await agent.next("pong")).toEqual({ type: "pong", ts: 5 });
    agent.close();
  });

  it("records the agent's servers and the flows version it applied", async () => {
    const agent = await TestAgent.ready(gateway.port, org.apiKey);
    const servers = [
      { name: "slack", transport: "stdio" },
      { name: "maps", transport: "http" },
    ];
    agent.sendJson({ type: "servers", servers });
    agent.sendJson({ type: "flows_applied", version: 7 });
    agent.sendJson({ type: "ping", ts: 1 });
    await agent.next("pong");
    const row = async () =>
      (await pool.query("SELECT servers, flows_version FROM agents WHERE id = $1", [agent.agentId]))
        .rows[0];
    // Both writes are fire-and-forget on the gateway side; wait for them to land.
    const deadline = Date.now() + 5_000;
    while ((await row())?.flows_version !== 7 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await row()).toEqual({ servers, flows_version: 7 });
    agent.close();
  });

  it("marks the agent disconnected when its connection closes", async () => {
    const agent = await TestAgent.ready(gateway.port, org.apiKey);
    agent.close();
    await agent.closedWith();
    const deadline = Date.now() + 5_000;
    let connection: unknown = "open";
    while (connection !== null && Date.now() < deadline) {
      connection = (
        await pool.query("SELECT connection_id FROM agents WHERE id = $1", [agent.agentId])
      ).rows[0]?.connection_id;
      if (connection !== null) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(connection).toBeNull();
  });

  it("serves Prometheus metrics: connections, stored events, rejected frames by reason", async () => {
    const agent = await TestAgent.ready(gateway.port, org.apiKey);
    agent.sendEvents(1, [toolCallEvent()]);
    await agent.next("ack");
    agent.sendRaw("{");
    await agent.next("error");
    const text = await (await fetch(`http://127.0.0.1:${gateway.port}/metrics`)).text();
    expect(text).toMatch(/lunar_gateway_connected_agents \d+/);
    expect(text).toMatch(/lunar_gateway_events_stored_total [1-9]/);
    expect(text).toMatch(/lunar_gateway_rejected_frames_total\{reason="malformed_json"\} [1-9]/);
    expect(text).toMatch(/lunar_gateway_batch_commit_seconds_count [1-9]/);
    agent.close();
  });

  it("closes a connection that sends no hello within 10 s with 4408", async () => {
    const agent = await TestAgent.connect(gateway.port, org.apiKey);
    expect((await agent.closedWith(12_000)).code).toBe(CLOSE_CODES.helloTimeout);
  });

  it("when Postgres goes away, retries with backoff and acks once the batch is stored", async () => {
    const target = new URL(database.url);
    const proxy = new TcpPauseProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const viaProxy = new URL(database.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    const fragile = await startTestGateway(viaProxy.toString());
    const agent = await TestAgent.ready(fragile.port, org.apiKey);

    proxy.refuse();
    const events = [toolCallEvent(), toolCallEvent()];
    agent.sendEvents(1, events);
    // Nothing can be acked while Postgres is down: the ack would be a lie.
    await expect(agent.next("ack", 1_500)).rejects.toThrow(/timed out/);
    const readiness = await fetch(`http://127.0.0.1:${fragile.port}/readyz`);
    expect(readiness.status).toBe(503);

    proxy.accept();
    expect(await agent.next("ack", 10_000)).toMatchObject({ seq: 1, stored: 2 });
    const { rows } = await pool.query(
      "SELECT count(*)::int AS n FROM events WHERE event_id = ANY($1)",
      [events.map((e) => e.id)],
    );
    expect(rows[0].n).toBe(2);
    agent.close();
    await fragile.close();
    await proxy.stop();
  });
});
