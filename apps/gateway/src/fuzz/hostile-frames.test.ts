// Regression tests for frames that ended the gateway process (or closed with an undocumented
// code) before the fault boundaries of c8a5c1d, each with the exact input that did it. The
// gateway runs as its own process: "it is still serving" must mean the process is alive.
import { createDb, type Db } from "@lunar/db";
import { createTestDatabase, createTestPool, type TestDatabase } from "@lunar/db/testing";
import { type THelloFrame, toStorableServers, toStorableText } from "@lunar/shared";
import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { seedOrgWithKey } from "../testing/seed";
import { nested } from "./arbitraries/json-text";
import { Canary } from "./support/canary";
import { DOCUMENTED_CLOSE_CODES } from "./support/close-codes";
import { GatewayProcess } from "./support/gateway-process";
import { RecordingAgent } from "./support/recording-agent";

const UNCAUGHT = "lunar_gateway_uncaught_errors_total";

describe("hostile frames: answered or closed with a documented code, and the gateway serves on", {
  timeout: 30_000,
}, () => {
  let database: TestDatabase;
  let db: Db;
  let pool: pg.Pool;
  let gateway: GatewayProcess;
  let canary: Canary;
  let apiKey: string;
  let orgId: string;
  let uncaughtBefore = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
    pool = createTestPool(database.url);
    ({ apiKey, orgId } = await seedOrgWithKey(db, "hostile"));
    const bystander = await seedOrgWithKey(db, "bystander");
    gateway = new GatewayProcess(database.url);
    await gateway.start();
    canary = new Canary(() => gateway.port, bystander.apiKey);
  }, 60_000);

  // A case that killed the gateway must not fail the next one: each starts with a live one.
  beforeEach(async () => {
    if (await gateway.ensureRunning()) canary.close();
    uncaughtBefore = await gateway.metric(UNCAUGHT);
  }, 30_000);

  afterAll(async () => {
    canary?.close();
    await gateway?.dispose();
    await pool?.end();
    await db?.$disconnect();
    await database?.drop();
  });

  /** The gateway process is alive, nothing escaped its handlers, another org is acked in 5 s. */
  async function expectServing(): Promise<void> {
    await gateway.expectServing(uncaughtBefore);
    await canary.ackedWithin(5_000);
  }

  /** `find` on the agent's frames; if the socket closes first, the gateway's state says why. */
  async function answer<T>(agent: RecordingAgent, find: () => T | undefined, what: string) {
    try {
      return await agent.until(find, what);
    } catch (error) {
      await gateway.expectServing(uncaughtBefore);
      throw error;
    }
  }

  async function welcomed(hello: Record<string, unknown>) {
    const agent = await RecordingAgent.connect(gateway.port, apiKey);
    const agentId = crypto.randomUUID();
    agent.sendJson({
      type: "hello",
      protocols: [1],
      agentId,
      name: "alice-laptop",
      version: "0.3.0",
      servers: [{ name: "slack", transport: "stdio" }],
      flowsVersion: null,
      ...hello,
    });
    const welcome = await answer(agent, () => agent.frameOf("welcome"), "the welcome");
    return { agent, agentId, welcome };
  }

  const agentRow = async (agentId: string) =>
    (
      await pool.query<{ name: string; version: string; servers: unknown; connection_id: string }>(
        "SELECT name, version, servers, connection_id FROM agents WHERE org_id = $1 AND id = $2",
        [orgId, agentId],
      )
    ).rows[0];

  it.each([
    ["5,000 nested arrays (the 10 KB frame that crashed it)", nested(5_000, "array")],
    ["100,000 nested arrays", nested(100_000, "array")],
    ["100,000 nested objects", nested(100_000, "object")],
  ])("a frame whose type is %s, before hello, gets unknown_frame_type", async (_label, deep) => {
    const agent = await RecordingAgent.connect(gateway.port, apiKey);
    agent.send(`{"type":${deep}}`);
    const error = await answer(agent, () => agent.frameOf("error"), "an error frame");
    expect(error).toMatchObject({ code: "unknown_frame_type", seq: null });
    expect(error.message.length).toBeLessThanOrEqual(500);
    // The connection goes on: a hello is still welcomed.
    agent.sendJson({
      type: "hello",
      protocols: [1],
      agentId: crypto.randomUUID(),
      name: "after-deep",
      version: "1",
      servers: [],
      flowsVersion: null,
    });
    await answer(agent, () => agent.frameOf("welcome"), "the welcome");
    agent.close();
    await expectServing();
  });

  it.each<[string, Partial<THelloFrame>]>([
    ["a NUL in name", { name: "alice\u0000laptop" }],
    ["a NUL in version", { version: "0.3.0\u0000" }],
    ["a NUL in a server name", { servers: [{ name: "sl\u0000ck", transport: "stdio" }] }],
    [
      "a lone surrogate in a server name",
      { servers: [{ name: "sl\ud800ck", transport: "stdio" }] },
    ],
  ])("a hello with %s is welcomed and stored with U+FFFD in its place", async (_label, hello) => {
    const { agent, agentId, welcome } = await welcomed(hello);
    const sent: Pick<THelloFrame, "name" | "version" | "servers"> = {
      name: "alice-laptop",
      version: "0.3.0",
      servers: [{ name: "slack", transport: "stdio" }],
      ...hello,
    };
    expect(await agentRow(agentId)).toEqual({
      name: toStorableText(sent.name),
      version: toStorableText(sent.version),
      servers: toStorableServers(sent.servers),
      connection_id: welcome.connectionId,
    });
    agent.close();
    await expectServing();
  });

  it.each([
    ["a NUL", "sl\u0000ck"],
    ["a lone surrogate", "sl\ud800ck"],
  ])("a servers frame with %s in a server name is stored repaired", async (_label, name) => {
    const { agent, agentId } = await welcomed({});
    const servers = [{ name, transport: "http" as const }];
    agent.sendJson({ type: "servers", servers });
    // No reply to servers: the row shows it (or the gateway's state says why it never will).
    await expect
      .poll(async () => (await agentRow(agentId))?.servers, { timeout: 5_000 })
      .toEqual(toStorableServers(servers))
      .catch(async (error: unknown) => {
        await gateway.expectServing(uncaughtBefore);
        throw error;
      });
    agent.sendJson({ type: "ping", ts: 7 });
    await answer(agent, () => agent.frameOf("pong"), "a pong");
    agent.close();
    await expectServing();
  });

  it.each([
    ["before hello", false],
    ["after hello", true],
  ])(
    "a text frame that is not valid UTF-8, %s, closes with a documented code (1007)",
    async (_label, hello) => {
      const agent = hello
        ? (await welcomed({})).agent
        : await RecordingAgent.connect(gateway.port, apiKey);
      agent.send(
        Buffer.from([...Buffer.from('{"type":"ping","ts":1,"x":"'), 0xff, ...Buffer.from('"}')]),
      );
      const closed = await agent.closedWithin(5_000);
      expect(closed.code).toBe(1007);
      expect(DOCUMENTED_CLOSE_CODES).toContain(closed.code);
      await expectServing();
    },
  );
});
