import { createDb, type Db } from "@lunar/db";
import { ensureEventPartitions, ingestEvents, insertDeadLetters } from "@lunar/db/postgres";
import { createTestDatabase, createTestPool, type TestDatabase } from "@lunar/db/testing";
import { httpCall, toolCall } from "@lunar/shared/testing";
import type pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics } from "../metrics";
import { seedOrgWithKey } from "../testing/seed";
import { IngestQueue } from "./ingest-queue";

// The ingest queue against a real Postgres: an event the database refuses (here one that skipped
// the storable repair, as an older gateway or a gap in it would let through) must cost only
// itself. Before dead letters, such a batch was retried forever and blocked every org.
describe("ingest queue: an event Postgres refuses", { timeout: 30_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  let pool: pg.Pool;
  let orgA: Awaited<ReturnType<typeof seedOrgWithKey>>;
  let orgB: Awaited<ReturnType<typeof seedOrgWithKey>>;
  const agentId = "0193a5c0-0000-7000-8000-000000000001";

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
    pool = createTestPool(database.url);
    orgA = await seedOrgWithKey(db, "poisoned");
    orgB = await seedOrgWithKey(db, "bystander");
    await ensureEventPartitions(pool, { daysBack: 1, daysAhead: 1 });
  });
  afterAll(async () => {
    await pool.end();
    await db.$disconnect();
    await database.drop();
  });

  const newQueue = (metrics = createMetrics()) =>
    new IngestQueue(
      (items) => ingestEvents(pool, items),
      (letters) => insertDeadLetters(pool, letters),
      {
        concurrency: 1,
        maxQueuedEvents: 10_000,
        maxQueuedBytes: 64 * 1024 * 1024,
        maxEventsPerTransaction: 5_000,
        log: pino({ level: "silent" }),
        metrics,
      },
    );

  it("keeps the refused event as a dead letter, stores the rest of its batch and the other org's", async () => {
    const metrics = createMetrics();
    const queue = newQueue(metrics);
    const poisoned = [
      toolCall(),
      toolCall({ server: "evil\u0000server" }),
      httpCall(),
      httpCall({ path: "/a\ud800" }),
      toolCall({ argumentBytes: 2 ** 31 }),
    ];
    const clean = [toolCall(), httpCall()];
    const [a, b] = await Promise.all([
      queue.enqueue({ orgId: orgA.orgId, agentId, events: poisoned }),
      queue.enqueue({ orgId: orgB.orgId, agentId, events: clean }),
    ]);

    expect(b).toEqual({ stored: 2, duplicates: 0, refused: [] });
    expect(a.stored).toBe(2);
    expect(a.refused.map((r) => r.position)).toEqual([1, 3, 4]);
    for (const refused of a.refused) expect(refused.reason).toMatch(/^[0-9A-Z]{5}: /);

    const stored = await pool.query<{ event_id: string }>(
      "SELECT event_id FROM events WHERE org_id = $1 ORDER BY event_id",
      [orgA.orgId],
    );
    expect(stored.rows.map((row) => row.event_id).sort()).toEqual(
      [poisoned[0], poisoned[2]].map((event) => event?.id).sort(),
    );
    const letters = await pool.query<{ event_id: string; kind: string; payload: string }>(
      "SELECT event_id, kind, payload FROM dead_letter_events WHERE org_id = $1",
      [orgA.orgId],
    );
    expect(letters.rows.map((row) => row.event_id).sort()).toEqual(
      [poisoned[1], poisoned[3], poisoned[4]].map((event) => event?.id).sort(),
    );
    // The payload is the event as sent, NUL and lone surrogate included.
    const payloads = letters.rows.map((row) => JSON.parse(row.payload));
    expect(payloads).toContainEqual(poisoned[1]);
    expect(payloads).toContainEqual(poisoned[3]);
    expect((await metrics.eventsDeadLettered.get()).values[0]?.value).toBe(3);
  });

  it("a resend of the same batch stores nothing twice and letters nothing twice over", async () => {
    const queue = newQueue();
    const events = [toolCall(), toolCall({ tool: "x\u0000" })];
    const first = await queue.enqueue({ orgId: orgB.orgId, agentId, events });
    const again = await queue.enqueue({ orgId: orgB.orgId, agentId, events });
    expect(first).toMatchObject({ stored: 1, duplicates: 0 });
    expect(again).toMatchObject({ stored: 0, duplicates: 1 });
    expect(again.refused.map((r) => r.position)).toEqual([1]);
  });
});
