// Property-based fuzzing of the agent protocol against a real gateway process, real sockets and
// a real Postgres (a fresh test database). Each run opens one to four connections at once with
// the keys of two orgs and sends them generated frames: hellos (also duplicate and hostile
// ones), events batches of valid events, valid events with one field replaced by any JSON value,
// resent events, NULs and lone surrogates in every text, numbers at 2^31, 2^53, 1e308, 1e309
// and -0, huge strings, nesting thousands deep, binary frames, random bytes, invalid UTF-8,
// frames before hello and frames over 1 MiB. After each run:
//   - the gateway process is alive, /healthz answers 200, and no error escaped every handler
//     (lunar_gateway_uncaught_errors_total did not move);
//   - an agent of a third org gets its batch acked within 5 s;
//   - every connection the gateway closed was closed with a documented code;
//   - acks of each connection came in the order its batches were sent, one per batch owed
//     (a valid events frame after an accepted hello) while the connection stayed open;
//   - each ack accounts for every event; invalid events are rejected; a valid event is rejected
//     only as a dead letter ("not storable: …", kept in dead_letter_events);
//   - every event acked as stored or duplicate is in `events` exactly once (org_id + event_id),
//     with its text made storable (U+FFFD for NUL and lone surrogates) and argumentBytes
//     saturated; no event acked as rejected is stored.
//
// Environment:
//   FUZZ_RUNS             runs; default 50, about 15 s on 2 cores (a failure takes longer, as
//                         fast-check shrinks it). `npm run fuzz` runs 2,000.
//   FUZZ_SEED, FUZZ_PATH  replay a failure (its message prints both).
//   FUZZ_TIME_LIMIT_MS    stop generating or shrinking after this long (default 1 s a run, at
//                         least 30 s); a failure found by then is reported as it stands.
import { createDb, type Db } from "@lunar/db";
import { createTestDatabase, createTestPool, type TestDatabase } from "@lunar/db/testing";
import fc from "fast-check";
import type pg from "pg";
import { afterAll, beforeAll, describe, it } from "vitest";
import { seedOrgWithKey } from "../testing/seed";
import { type SessionSpec, scenario } from "./arbitraries/frames";
import { assertProperty, fuzzSettings } from "./support/assert-property";
import { Canary } from "./support/canary";
import { checkSessions } from "./support/check-sessions";
import { GatewayProcess } from "./support/gateway-process";
import type { RunContext } from "./support/render-frame";
import { runSession, type SessionRecord } from "./support/run-session";

const settings = fuzzSettings(50);

describe("gateway fuzz: hostile frames from two orgs", () => {
  let database: TestDatabase;
  let db: Db;
  let pool: pg.Pool;
  let gateway: GatewayProcess;
  let canary: Canary;
  let orgIds: [string, string];
  let keys: [string, string];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
    pool = createTestPool(database.url);
    const a = await seedOrgWithKey(db, "fuzz-a");
    const b = await seedOrgWithKey(db, "fuzz-b");
    const c = await seedOrgWithKey(db, "canary");
    orgIds = [a.orgId, b.orgId];
    keys = [a.apiKey, b.apiKey];
    gateway = new GatewayProcess(database.url);
    await gateway.start();
    canary = new Canary(() => gateway.port, c.apiKey);
  }, 60_000);

  afterAll(async () => {
    canary?.close();
    await gateway?.dispose();
    await pool?.end();
    await db?.$disconnect();
    await database?.drop();
  });

  /** One run: the sessions at once, then every promise checked. */
  async function fuzzRun(specs: SessionSpec[]): Promise<void> {
    const uncaught = await gateway.metric("lunar_gateway_uncaught_errors_total");
    const run: RunContext = { sentEvents: [] };
    const sessions: SessionRecord[] = [];
    const outcomes = await Promise.allSettled(
      specs.map((spec) =>
        runSession(gateway.port, keys[spec.org], spec, run, (s) => sessions.push(s)),
      ),
    );
    for (const session of sessions) session.agent.close();
    // A dead gateway explains everything else: say so first.
    await gateway.expectServing(uncaught);
    for (const outcome of outcomes) if (outcome.status === "rejected") throw outcome.reason;
    await canary.ackedWithin(5_000);
    const problems = await checkSessions(pool, orgIds, sessions);
    if (problems.length > 0) throw new Error(problems.join("\n"));
  }

  it(`keeps serving, acking in order and storing exactly once (${settings.runs} runs)`, {
    timeout: settings.testTimeoutMs,
  }, async () => {
    const property = fc.asyncProperty(scenario, async (specs) => {
      if (await gateway.ensureRunning()) canary.close();
      try {
        await fuzzRun(specs);
      } catch (error) {
        // A gateway that failed once may stay broken (a write retried forever): the next run,
        // or shrink step, gets a fresh one, so that it fails for its own input only.
        await gateway.stop();
        throw error;
      }
    });
    const runs = await assertProperty(property, settings);
    console.log(`gateway fuzz: ${runs} runs passed`);
  });
});
