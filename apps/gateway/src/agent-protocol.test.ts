import { createDb, type Db, revokeApiKey } from "@lunar/db";
import { publishFlows } from "@lunar/db/postgres";
import { createTestDatabase, createTestPool, type TestDatabase } from "@lunar/db/testing";
import { CLOSE_CODES, generateApiKey, MAX_FRAME_BYTES } from "@lunar/shared";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "./server";
import { seedOrgWithKey } from "./testing/seed";
import { TestAgent, toolCallEvent } from "./testing/test-agent";
import { startTestGateway } from "./testing/test-gateway";

describe("agent protocol v1 (real gateway, real Postgres, real sockets)", () => {
  let database: TestDatabase;
  let db: Db;
  let pool: pg.Pool;
  let gateway: RunningGateway;
  let orgA: Awaited<ReturnType<typeof seedOrgWithKey>>;
  let orgB: Awaited<ReturnType<typeof seedOrgWithKey>>;

  const count = async (sql: string, params: unknown[]) =>
    Number((await pool.query<{ n: string }>(sql, params)).rows[0]?.n);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
    pool = createTestPool(database.url);
    orgA = await seedOrgWithKey(db, "org-a");
    orgB = await seedOrgWithKey(db, "org-b");
    gateway = await startTestGateway(database.url);
  });
  afterAll(async () => {
    await gateway.close();
    await pool.end();
    await db.$disconnect();
    await database.drop();
  });

  describe("authentication at the upgrade", () => {
    it.each([
      ["a missing key", null, /Missing API key/],
      ["a mistyped key", "lunar_notarealkeyatall000000000000000000000", /malformed/],
      ["an unknown key", generateApiKey().secret, /Unknown API key/],
    ])("%s gets HTTP 401 before any WebSocket exists", async (_label, key, message) => {
      const refused = await TestAgent.connect(gateway.port, key ?? "").catch((error) => error);
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body).detail).toMatch(message);
    });

    it("a path other than the agent path gets 404", async () => {
      const { default: WebSocket } = await import("ws");
      const socket = new WebSocket(`ws://127.0.0.1:${gateway.port}/elsewhere`, {
        headers: { authorization: `Bearer ${orgA.apiKey}` },
      });
      const status = await new Promise((resolve) =>
        socket.once("unexpected-response", (_q, r) => resolve(r.statusCode)),
      );
      expect(status).toBe(404);
    });

    it("a revoked key gets 401", async () => {
      const org = await seedOrgWithKey(db, "revoked-upfront");
      await revokeApiKey(db, { orgId: org.orgId, keyId: org.keyId });
      const refused = await TestAgent.connect(gateway.port, org.apiKey).catch((error) => error);
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body).detail).toMatch(/revoked/);
    });

    it("accepts the key in x-lunar-api-key too", async () => {
      const { default: WebSocket } = await import("ws");
      const socket = new WebSocket(`ws://127.0.0.1:${gateway.port}/v1/agent`, {
        headers: { "x-lunar-api-key": orgA.apiKey },
      });
      await new Promise((resolve, reject) => {
        socket.once("open", resolve);
        socket.once("error", reject);
      });
      socket.close();
    });
  });

  it("hello gets a welcome with the limits and the org's flows snapshot (version 0: none)", async () => {
    const agent = await TestAgent.connect(gateway.port, orgA.apiKey);
    agent.hello();
    const welcome = await agent.next("welcome");
    expect(welcome).toMatchObject({
      protocol: 1,
      orgId: orgA.orgId,
      limits: { maxFrameBytes: MAX_FRAME_BYTES },
    });
    expect(await agent.next("flows")).toMatchObject({
      version: 0,
      reason: "snapshot",
      document: null,
    });
    const row = await pool.query(
      "SELECT name, version, connection_id FROM agents WHERE org_id = $1 AND id = $2",
      [orgA.orgId, agent.agentId],
    );
    expect(row.rows[0]).toMatchObject({
      name: "test-agent",
      version: "0.0.1",
      connection_id: welcome.connectionId,
    });
    agent.close();
  });

  it("acks a batch only after it is stored, and stores a resent batch once", async () => {
    const agent = await TestAgent.ready(gateway.port, orgA.apiKey);
    const events = [toolCallEvent(), toolCallEvent(), toolCallEvent()];
    agent.sendEvents(1, events);
    expect(await agent.next("ack")).toEqual({
      type: "ack",
      seq: 1,
      stored: 3,
      duplicates: 0,
      rejected: [],
    });
    const ids = events.map((e) => e.id);
    expect(await count("SELECT count(*) AS n FROM events WHERE event_id = ANY($1)", [ids])).toBe(3);

    agent.sendEvents(2, events);
    expect(await agent.next("ack")).toEqual({
      type: "ack",
      seq: 2,
      stored: 0,
      duplicates: 3,
      rejected: [],
    });
    expect(await count("SELECT count(*) AS n FROM events WHERE event_id = ANY($1)", [ids])).toBe(3);
    agent.close();
  });

  it("rejects an invalid event by index and stores the rest of its batch", async () => {
    const agent = await TestAgent.ready(gateway.port, orgA.apiKey);
    const good = toolCallEvent();
    agent.sendEvents(7, [good, { ...toolCallEvent(), durationMs: -1 }, { type: "tool_call" }]);
    const ack = await agent.next("ack");
    expect(ack).toMatchObject({ seq: 7, stored: 1, duplicates: 0 });
    expect(ack.rejected.map((r) => r.index)).toEqual([1, 2]);
    expect(ack.rejected[0]?.reason).toContain("durationMs");
    agent.close();
  });

  it("answers bad frames with error frames and keeps serving, this agent and others", async () => {
    const bystander = await TestAgent.ready(gateway.port, orgB.apiKey);
    const agent = await TestAgent.ready(gateway.port, orgA.apiKey);

    agent.sendRaw("{not json");
    expect(await agent.next("error")).toMatchObject({ code: "malformed_json" });
    agent.sendJson({ type: "events", seq: 3, events: "nope" });
    expect(await agent.next("error")).toMatchObject({ code: "invalid_frame", seq: 3 });
    agent.sendJson({ type: "rm -rf", path: "/" });
    expect(await agent.next("error")).toMatchObject({ code: "unknown_frame_type" });
    agent.sendJson({ type: "ping", ts: 1, extra: "field" });
    expect(await agent.next("error")).toMatchObject({ code: "invalid_frame" });
    agent.sendRaw(Buffer.from([1, 2, 3]));
    expect(await agent.next("error")).toMatchObject({ code: "invalid_frame" });

    agent.sendJson({ type: "ping", ts: 42 });
    expect(await agent.next("pong")).toEqual({ type: "pong", ts: 42 });
    bystander.sendEvents(1, [toolCallEvent()]);
    expect(await bystander.next("ack")).toMatchObject({ stored: 1 });
    agent.close();
    bystander.close();
  });

  it("closes an oversized frame with 1009 and keeps serving other agents", async () => {
    const bystander = await TestAgent.ready(gateway.port, orgB.apiKey);
    const agent = await TestAgent.ready(gateway.port, orgA.apiKey);
    agent.sendRaw("x".repeat(MAX_FRAME_BYTES + 1));
    expect((await agent.closedWith()).code).toBe(CLOSE_CODES.messageTooBig);
    bystander.sendEvents(1, [toolCallEvent()]);
    expect(await bystander.next("ack")).toMatchObject({ stored: 1 });
    bystander.close();
  });

  it("closes a connection that floods invalid frames with 4400", async () => {
    const agent = await TestAgent.ready(gateway.port, orgA.apiKey);
    for (let i = 0; i < 25; i++) agent.sendRaw("{");
    expect((await agent.closedWith()).code).toBe(CLOSE_CODES.badFrames);
  });

  it("requires hello first: events before hello close with 4400", async () => {
    const agent = await TestAgent.connect(gateway.port, orgA.apiKey);
    agent.sendEvents(1, [toolCallEvent()]);
    expect(await agent.next("error")).toMatchObject({ code: "hello_required" });
    expect((await agent.closedWith()).code).toBe(CLOSE_CODES.badFrames);
  });

  it("closes with 4426 when no offered protocol version is spoken", async () => {
    const agent = await TestAgent.connect(gateway.port, orgA.apiKey);
    agent.hello({ protocols: [2, 3] });
    const closed = await agent.closedWith();
    expect(closed.code).toBe(CLOSE_CODES.unsupportedProtocol);
    expect(closed.reason).toContain("speaks 1");
  });

  it("a second connection of the same agent replaces the first (4409)", async () => {
    const first = await TestAgent.ready(gateway.port, orgA.apiKey);
    const second = await TestAgent.connect(gateway.port, orgA.apiKey);
    second.hello({ agentId: first.agentId });
    await second.next("welcome");
    expect((await first.closedWith()).code).toBe(CLOSE_CODES.replaced);
    second.close();
  });

  it("closes a key's live connections within a second of its revocation", async () => {
    const org = await seedOrgWithKey(db, "revoke-live");
    const agent = await TestAgent.ready(gateway.port, org.apiKey);
    const other = await TestAgent.ready(gateway.port, orgA.apiKey);
    await revokeApiKey(db, { orgId: org.orgId, keyId: org.keyId });
    const closed = await agent.closedWith(1_000);
    expect(closed.code).toBe(CLOSE_CODES.keyRevoked);
    other.sendJson({ type: "ping", ts: 1 });
    expect(await other.next("pong")).toBeTruthy();
    other.close();
  });

  it("pushes a flows update to the org's agents within a second, and only to that org", async () => {
    const agentA = await TestAgent.ready(gateway.port, orgA.apiKey);
    const agentB = await TestAgent.ready(gateway.port, orgB.apiKey);
    const document = { AllowFilter: { processor: "Filter" } };
    const version = await publishFlows(pool, {
      orgId: orgA.orgId,
      document,
      createdById: orgA.userId,
    });
    expect(await agentA.next("flows", 1_000)).toEqual({
      type: "flows",
      version,
      reason: "update",
      document,
    });
    agentB.sendJson({ type: "ping", ts: 9 });
    await agentB.next("pong");
    expect(agentB.frames.filter((f) => f.type === "flows")).toEqual([]);
    agentA.close();
    agentB.close();
  });

  it("stores events under the key's org only: an agent cannot write another org's data", async () => {
    const agent = await TestAgent.ready(gateway.port, orgB.apiKey);
    const event = toolCallEvent();
    // An orgId smuggled into the frame or the event is refused, never honoured.
    agent.sendJson({ type: "events", seq: 1, events: [event], orgId: orgA.orgId });
    expect(await agent.next("error")).toMatchObject({ code: "invalid_frame" });
    agent.sendEvents(2, [{ ...event, orgId: orgA.orgId }]);
    expect((await agent.next("ack")).rejected).toHaveLength(1);
    agent.sendEvents(3, [event]);
    await agent.next("ack");
    const { rows } = await pool.query("SELECT org_id FROM events WHERE event_id = $1", [event.id]);
    expect(rows).toEqual([{ org_id: orgB.orgId }]);
    agent.close();
  });
});
