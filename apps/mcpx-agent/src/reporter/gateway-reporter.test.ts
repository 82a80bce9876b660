import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Db, revokeApiKey } from "@lunar/db";
import { publishFlows } from "@lunar/db/postgres";
import { createTestDatabase, createTestPool, type TestDatabase } from "@lunar/db/testing";
import {
  generateApiKey,
  newEventId,
  type TAgentEvent,
  type TFlowsFrame,
  type TServerInfo,
} from "@lunar/shared";
import { blockedCall, httpCall, toolCall } from "@lunar/shared/testing";
import type pg from "pg";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "../../../gateway/src/server";
import { seedOrgWithKey } from "../../../gateway/src/testing/seed";
import { freePort } from "../../../gateway/src/testing/spawn-gateway";
import { startTestGateway } from "../../../gateway/src/testing/test-gateway";
import { EventSpool } from "./event-spool";
import { GatewayReporter, type GatewayReporterOptions } from "./gateway-reporter";
import { ReplyDroppingProxy } from "./testing/reply-dropping-proxy";
import { eventually, statusWhen } from "./testing/wait-for";

type Org = Awaited<ReturnType<typeof seedOrgWithKey>>;

describe("gateway reporter (real gateway, real Postgres)", { timeout: 60_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  let pool: pg.Pool;
  let gateway: RunningGateway;
  let org: Org;
  let root: string;
  /** Everything a test started, stopped after it whatever happened. */
  let cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
    pool = createTestPool(database.url);
    org = await seedOrgWithKey(db, "reporter");
    gateway = await startTestGateway(database.url);
    root = await mkdtemp(join(tmpdir(), "mcpx-reporter-"));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups = [];
  });
  afterAll(async () => {
    await gateway.close();
    await pool.end();
    await db.$disconnect();
    await database.drop();
    await rm(root, { recursive: true, force: true });
  });

  let spoolCount = 0;
  const spoolDir = () => join(root, `spool-${++spoolCount}`);

  async function openSpool(dir: string, maxBytes = 64 * 1024 * 1024): Promise<EventSpool> {
    const spool = await EventSpool.open({ dir, maxBytes });
    cleanups.push(() => spool.close());
    return spool;
  }

  function startReporter(
    spool: EventSpool,
    options: Partial<GatewayReporterOptions> & { port: number },
  ): GatewayReporter {
    const reporter = new GatewayReporter({
      gatewayUrl: `http://127.0.0.1:${options.port}`,
      apiKey: org.apiKey,
      agentId: newEventId(),
      name: "reporter-test",
      version: "0.1.0-test",
      spool,
      log: pino({ level: "silent" }),
      servers: () => [{ name: "slack", transport: "stdio" }],
      flowsVersion: () => null,
      backoff: { initialMs: 20, maxMs: 200 },
      ...options,
    });
    reporter.start();
    cleanups.push(() => reporter.stop());
    return reporter;
  }

  async function startGatewayOn(port: number): Promise<RunningGateway> {
    const started = await startTestGateway(database.url, { PORT: port });
    cleanups.push(() => started.close());
    return started;
  }

  /** How many times each id is stored (ids never stored are absent). */
  async function storedTimes(ids: string[]): Promise<Map<string, number>> {
    const { rows } = await pool.query<{ event_id: string; n: number }>(
      "SELECT event_id, count(*)::int AS n FROM events WHERE event_id = ANY($1) GROUP BY event_id",
      [ids],
    );
    return new Map(rows.map((row) => [row.event_id, row.n]));
  }

  async function expectStoredExactlyOnce(events: readonly TAgentEvent[]): Promise<void> {
    const stored = await storedTimes(events.map((event) => event.id));
    const wrong = events.filter((event) => stored.get(event.id) !== 1);
    expect(wrong.map((event) => [event.id, stored.get(event.id) ?? 0])).toEqual([]);
  }

  /** Every recorded event is on disk, and the spool is empty again: all of them were acked. */
  async function drained(
    reporter: GatewayReporter,
    spool: EventSpool,
    what = "the spool to drain",
  ) {
    await spool.flushed();
    return statusWhen(
      reporter,
      (s) => s.connected && s.spool.events === 0 && s.inFlightBatches === 0,
      what,
      20_000,
    );
  }

  it("sends hello, streams recorded events and deletes them from the spool once acked", async () => {
    const spool = await openSpool(spoolDir());
    const agentId = newEventId();
    const reporter = startReporter(spool, { port: gateway.port, agentId });
    await statusWhen(reporter, (s) => s.connected, "welcome");
    const events = [toolCall(), httpCall(), blockedCall()];
    for (const event of events) reporter.record(event);
    const status = await drained(reporter, spool);
    expect(status).toMatchObject({ eventsAcked: 3, eventsRejected: 0, lastError: null });
    expect(status.lastAckAt).not.toBeNull();
    await expectStoredExactlyOnce(events);
    const agent = await pool.query("SELECT name, version, servers FROM agents WHERE id = $1", [
      agentId,
    ]);
    expect(agent.rows[0]).toEqual({
      name: "reporter-test",
      version: "0.1.0-test",
      servers: [{ name: "slack", transport: "stdio" }],
    });
  });

  it("spools events recorded while the gateway is down and stores each exactly once after it comes up", async () => {
    const port = await freePort();
    const spool = await openSpool(spoolDir());
    const reporter = startReporter(spool, { port });
    const events = Array.from({ length: 120 }, (_, i) =>
      i % 10 === 0 ? blockedCall() : toolCall(),
    );
    for (const event of events) reporter.record(event);
    const down = await statusWhen(
      reporter,
      (s) => s.spool.events === events.length && s.connectAttempts >= 2,
      "events spooled while the gateway is unreachable",
    );
    expect(down.connected).toBe(false);
    expect(down.lastError).toMatch(/cannot reach the gateway/);

    await startGatewayOn(port);
    await drained(reporter, spool);
    await expectStoredExactlyOnce(events);
  });

  it("an agent killed and restarted before the gateway returns still stores every event exactly once", async () => {
    const port = await freePort();
    const dir = spoolDir();
    const agentId = newEventId();
    const before = Array.from({ length: 80 }, () => toolCall());
    const firstSpool = await EventSpool.open({ dir, maxBytes: 64 * 1024 * 1024 });
    const first = startReporter(firstSpool, { port, agentId });
    for (const event of before) first.record(event);
    await statusWhen(first, (s) => s.spool.events === before.length, "events spooled");
    // The "kill": nothing was acked; the process goes away with its spool on disk.
    await first.stop();
    await firstSpool.close();

    const spool = await openSpool(dir);
    expect(spool.stats().events).toBe(before.length);
    const restarted = startReporter(spool, { port, agentId });
    const after = Array.from({ length: 40 }, () => blockedCall());
    for (const event of after) restarted.record(event);
    await statusWhen(restarted, (s) => s.spool.events === 120, "old and new events spooled");

    await startGatewayOn(port);
    await drained(restarted, spool);
    await expectStoredExactlyOnce([...before, ...after]);
  });

  it("a batch stored whose ack was lost is sent again after a restart and stored once", async () => {
    const proxy = new ReplyDroppingProxy(gateway.port);
    await proxy.start();
    cleanups.push(() => proxy.stop());
    const dir = spoolDir();
    const agentId = newEventId();
    const firstSpool = await EventSpool.open({ dir, maxBytes: 64 * 1024 * 1024 });
    let snapshot = false;
    const first = startReporter(firstSpool, {
      port: proxy.port,
      agentId,
      onFlows: () => {
        snapshot = true;
      },
    });
    await statusWhen(first, (s) => s.connected, "welcome");
    await eventually(
      async () => snapshot,
      (received) => received,
      "the flows snapshot",
    );
    proxy.dropReplies = true;
    const events = Array.from({ length: 200 }, () => toolCall());
    for (const event of events) first.record(event);
    await eventually(
      () => storedTimes(events.map((event) => event.id)),
      (stored) => stored.size === events.length,
      "the gateway to store every batch",
    );
    expect(first.status()).toMatchObject({ eventsAcked: 0 });
    expect(first.status().spool.events).toBe(events.length);
    await first.stop();
    await firstSpool.close();

    const spool = await openSpool(dir);
    const restarted = startReporter(spool, { port: gateway.port, agentId });
    const status = await drained(restarted, spool);
    expect(status.eventsAcked).toBe(events.length);
    await expectStoredExactlyOnce(events);
  });

  it("resends the batches in flight when the gateway goes away mid-stream", async () => {
    const port = await freePort();
    const spool = await openSpool(spoolDir());
    const firstGateway = await startTestGateway(database.url, { PORT: port });
    const reporter = startReporter(spool, { port });
    await statusWhen(reporter, (s) => s.connected, "welcome");
    const events = Array.from({ length: 3_000 }, () => toolCall());
    for (const event of events) reporter.record(event);
    await statusWhen(reporter, (s) => s.eventsAcked > 0, "the first ack");
    await firstGateway.close(); // cuts every socket, acked or not
    await statusWhen(reporter, (s) => !s.connected, "the disconnect");

    await startGatewayOn(port);
    await drained(reporter, spool);
    await expectStoredExactlyOnce(events);
  });

  it("removes an event the gateway rejected from the spool, and counts it", async () => {
    const dir = spoolDir();
    const spool = await openSpool(dir);
    const reporter = startReporter(spool, { port: gateway.port });
    await statusWhen(reporter, (s) => s.connected, "welcome");
    const valid = [toolCall(), toolCall()];
    const invalid = toolCall({ durationMs: -1 });
    reporter.record(valid[0] as TAgentEvent);
    reporter.record(invalid);
    reporter.record(valid[1] as TAgentEvent);
    const status = await drained(reporter, spool);
    expect(status).toMatchObject({ eventsAcked: 3, eventsRejected: 1 });
    await expectStoredExactlyOnce(valid);
    expect((await storedTimes([invalid.id])).size).toBe(0);
    // Nothing left to resend, even after a restart.
    await reporter.stop();
    await spool.close();
    const reopened = await openSpool(dir);
    expect(reopened.stats().events).toBe(0);
  });

  it("keeps frames under 1 MiB and 500 events, and at most 8 batches in flight", async () => {
    const spool = await openSpool(spoolDir());
    const reporter = startReporter(spool, { port: gateway.port });
    await statusWhen(reporter, (s) => s.connected, "welcome");
    let mostInFlight = 0;
    reporter.onStatusChange(() => {
      mostInFlight = Math.max(mostInFlight, reporter.status().inFlightBatches);
    });
    // ~2.3 KB each (paths may be 2,048 characters): 500 would make a 1.15 MB frame, which the
    // gateway would close with 1009.
    const events = Array.from({ length: 4_000 }, () =>
      httpCall({ path: `/search?q=${"x".repeat(2_030)}` }),
    );
    for (const event of events) reporter.record(event);
    const status = await drained(reporter, spool, "4,000 large events to be acked");
    expect(status).toMatchObject({
      connectAttempts: 1,
      lastError: null,
      eventsAcked: 4_000,
      eventsRejected: 0,
    });
    expect(mostInFlight).toBeLessThanOrEqual(8);
    await expectStoredExactlyOnce(events);
  });

  it("stops for good with a clear status when its key is revoked", async () => {
    const revoked = await seedOrgWithKey(db, "revoked-while-connected");
    const spool = await openSpool(spoolDir());
    const reporter = startReporter(spool, { port: gateway.port, apiKey: revoked.apiKey });
    await statusWhen(reporter, (s) => s.connected, "welcome");
    await revokeApiKey(db, { orgId: revoked.orgId, keyId: revoked.keyId });
    const status = await statusWhen(reporter, (s) => s.state === "stopped", "the stop", 5_000);
    expect(status.connected).toBe(false);
    expect(status.lastError).toMatch(/API key revoked/);
    await reporter.stopped();
    const attempts = status.connectAttempts;
    // No timer is left to reconnect: many backoff periods later, still one attempt.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(reporter.status().connectAttempts).toBe(attempts);
    // Events are still kept, for whoever fixes the key and restarts the agent.
    reporter.record(toolCall());
    await spool.flushed();
    expect(spool.stats().events).toBe(1);
  });

  it("backs off long after an HTTP 401 and says the API key was rejected", async () => {
    const spool = await openSpool(spoolDir());
    const reporter = startReporter(spool, {
      port: gateway.port,
      apiKey: generateApiKey().secret,
      authRetryMs: 5_000,
    });
    const status = await statusWhen(reporter, (s) => s.state === "waiting", "the refusal");
    expect(status.lastError).toMatch(/API key rejected by the gateway: Unknown API key/);
    const wait = (status.nextAttemptAt ?? 0) - Date.now();
    expect(wait).toBeGreaterThan(3_000); // 5 s ± 25 %, minus the time this test took to look
    expect(wait).toBeLessThanOrEqual(6_250);
    expect(status.connectAttempts).toBe(1);
  });

  it("stops when another process with the same agent id takes over (4409)", async () => {
    const agentId = newEventId();
    const first = startReporter(await openSpool(spoolDir()), { port: gateway.port, agentId });
    await statusWhen(first, (s) => s.connected, "the first welcome");
    const second = startReporter(await openSpool(spoolDir()), { port: gateway.port, agentId });
    const status = await statusWhen(first, (s) => s.state === "stopped", "the replacement");
    expect(status.lastError).toMatch(/same state directory/);
    await statusWhen(second, (s) => s.connected, "the second welcome");
  });

  it("passes flows frames on, and reports the applied flows version and server changes", async () => {
    const flows: TFlowsFrame[] = [];
    let servers: TServerInfo[] = [{ name: "slack", transport: "stdio" }];
    const agentId = newEventId();
    const reporter = startReporter(await openSpool(spoolDir()), {
      port: gateway.port,
      agentId,
      servers: () => servers,
      onFlows: (frame) => flows.push(frame),
    });
    await statusWhen(reporter, (s) => s.connected, "welcome");
    await eventually(
      async () => flows.length,
      (n) => n === 1,
      "the flows snapshot",
    );
    expect(flows[0]).toMatchObject({ reason: "snapshot", version: 0, document: null });

    const document = { version: 1, flows: [] };
    const version = await publishFlows(pool, {
      orgId: org.orgId,
      document,
      createdById: org.userId,
    });
    await eventually(
      async () => flows.length,
      (n) => n === 2,
      "the flows update",
    );
    expect(flows[1]).toMatchObject({ reason: "update", version, document });

    reporter.flowsApplied(version);
    servers = [...servers, { name: "maps", transport: "http" }];
    reporter.serversChanged();
    const row = await eventually(
      async () =>
        (await pool.query("SELECT flows_version, servers FROM agents WHERE id = $1", [agentId]))
          .rows[0],
      (r) => r?.flows_version === version && r?.servers.length === 2,
      "the agent row to show the applied version and both servers",
    );
    expect(row.servers).toEqual(servers);
  });

  it("tells the gateway how many events its full spool dropped, once, after reconnecting", async () => {
    const port = await freePort();
    const dir = spoolDir();
    const spool = await EventSpool.open({ dir, maxBytes: 20_000, segmentBytes: 2_000 });
    cleanups.push(() => spool.close());
    const agentId = newEventId();
    const reporter = startReporter(spool, { port, agentId });
    for (let i = 0; i < 300; i++) reporter.record(toolCall());
    await spool.flushed();
    const { dropped } = spool.stats();
    expect(dropped).toBeGreaterThan(0);

    await startGatewayOn(port);
    await drained(reporter, spool);
    const row = await eventually(
      async () =>
        (await pool.query("SELECT dropped_events FROM agents WHERE id = $1", [agentId])).rows[0],
      (r) => r?.dropped_events === dropped,
      "the agent row to count the drops",
    );
    expect(row.dropped_events).toBe(dropped);
    await statusWhen(reporter, (s) => s.spool.unreportedDrops === 0, "the report's receipt");
    expect(spool.stats().dropped).toBe(dropped);
  });

  it("tells the gateway about events found damaged in its spool, and sends the intact ones", async () => {
    const dir = spoolDir();
    const events = [toolCall({ durationMs: 5 }), toolCall({ durationMs: 5 }), toolCall()];
    const writer = await EventSpool.open({ dir, maxBytes: 1024 * 1024 });
    await writer.append(events);
    await writer.close();
    const [segment] = (await readdir(dir)).filter((name) => name.endsWith(".events"));
    const path = join(dir, segment as string);
    const [first, second, ...rest] = (await readFile(path, "utf8")).split("\n");
    const changed = second?.replace('"durationMs":5', '"durationMs":6');
    await writeFile(path, [first, changed, ...rest].join("\n"));

    const spool = await openSpool(dir);
    expect(spool.stats()).toMatchObject({ dropped: 1, damaged: 1, unreportedDrops: 1 });
    const agentId = newEventId();
    const reporter = startReporter(spool, { port: gateway.port, agentId });
    await drained(reporter, spool);
    await expectStoredExactlyOnce([events[0], events[2]] as TAgentEvent[]);
    expect((await storedTimes([events[1]?.id as string])).size).toBe(0);
    await eventually(
      async () =>
        (await pool.query("SELECT dropped_events FROM agents WHERE id = $1", [agentId])).rows[0],
      (row) => row?.dropped_events === 1,
      "the agent row to count the damaged event",
    );
    await statusWhen(reporter, (s) => s.spool.unreportedDrops === 0, "the report's receipt");
  });
});
