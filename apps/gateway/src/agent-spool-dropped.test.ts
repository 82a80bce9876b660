import { createDb, type Db } from "@lunar/db";
import { createTestDatabase, createTestPool, type TestDatabase } from "@lunar/db/testing";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "./server";
import { seedOrgWithKey } from "./testing/seed";
import { TestAgent } from "./testing/test-agent";
import { startTestGateway } from "./testing/test-gateway";

describe("spool_dropped reports", { timeout: 30_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  let pool: pg.Pool;
  let gateway: RunningGateway;
  let org: Awaited<ReturnType<typeof seedOrgWithKey>>;

  const droppedEvents = async (agentId: string) =>
    (await pool.query("SELECT dropped_events FROM agents WHERE id = $1", [agentId])).rows[0]
      ?.dropped_events as number | undefined;

  /** The hook's write is fire-and-forget: poll until it landed, with a deadline. */
  const waitForDropped = async (agentId: string, expected: number) => {
    const deadline = Date.now() + 5_000;
    while ((await droppedEvents(agentId)) !== expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return droppedEvents(agentId);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
    pool = createTestPool(database.url);
    org = await seedOrgWithKey(db, "drops");
    gateway = await startTestGateway(database.url);
  });
  afterAll(async () => {
    await gateway.close();
    await pool.end();
    await db.$disconnect();
    await database.drop();
  });

  it("a new agent starts with no dropped events", async () => {
    const agent = await TestAgent.ready(gateway.port, org.apiKey);
    expect(await droppedEvents(agent.agentId)).toBe(0);
    agent.close();
  });

  it("adds every report to the agent's row, across connections", async () => {
    const first = await TestAgent.ready(gateway.port, org.apiKey);
    first.sendJson({ type: "spool_dropped", count: 5 });
    first.sendJson({ type: "spool_dropped", count: 3 });
    first.sendJson({ type: "ping", ts: 1 });
    await first.next("pong");
    expect(await waitForDropped(first.agentId, 8)).toBe(8);
    first.close();
    await first.closedWith();

    // The same install reconnecting (same agent id) keeps adding to its count.
    const again = await TestAgent.connect(gateway.port, org.apiKey);
    again.hello({ agentId: first.agentId });
    await again.next("welcome");
    again.sendJson({ type: "spool_dropped", count: 2 });
    expect(await waitForDropped(first.agentId, 10)).toBe(10);
    again.close();
  });

  it("counts reported drops in lunar_gateway_events_dropped_by_agents_total", async () => {
    const agent = await TestAgent.ready(gateway.port, org.apiKey);
    const metric = async () => {
      const text = await (await fetch(`http://127.0.0.1:${gateway.port}/metrics`)).text();
      return Number(/^lunar_gateway_events_dropped_by_agents_total (\d+)/m.exec(text)?.[1]);
    };
    const before = await metric();
    agent.sendJson({ type: "spool_dropped", count: 7 });
    agent.sendJson({ type: "ping", ts: 2 });
    await agent.next("pong");
    expect(await metric()).toBe(before + 7);
    agent.close();
  });

  it("refuses a report of zero or a fractional count with invalid_frame, and counts nothing", async () => {
    const agent = await TestAgent.ready(gateway.port, org.apiKey);
    agent.sendJson({ type: "spool_dropped", count: 0 });
    expect(await agent.next("error")).toMatchObject({ code: "invalid_frame" });
    agent.sendJson({ type: "spool_dropped", count: 1.5 });
    expect(await agent.next("error")).toMatchObject({ code: "invalid_frame" });
    agent.sendJson({ type: "ping", ts: 3 });
    await agent.next("pong");
    expect(await droppedEvents(agent.agentId)).toBe(0);
    agent.close();
  });

  it("a report before hello is refused like any other frame", async () => {
    const agent = await TestAgent.connect(gateway.port, org.apiKey);
    agent.sendJson({ type: "spool_dropped", count: 4 });
    expect(await agent.next("error")).toMatchObject({ code: "hello_required" });
    expect((await agent.closedWith()).code).toBe(4400);
  });
});
