import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Db } from "@lunar/db";
import { createTestDatabase, createTestPool, type TestDatabase } from "@lunar/db/testing";
import { toolCall } from "@lunar/shared/testing";
import type pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "../../../gateway/src/server";
import { seedOrgWithKey } from "../../../gateway/src/testing/seed";
import { startTestGateway } from "../../../gateway/src/testing/test-gateway";
import { loadAgentIdentity } from "../identity/agent-identity";
import { createReporting } from "./create-reporting";
import { GatewayConfigError } from "./gateway-config";
import { eventually } from "./testing/wait-for";

describe("createReporting", { timeout: 30_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  let pool: pg.Pool;
  let gateway: RunningGateway;
  let apiKey: string;
  let root: string;
  const log = pino({ level: "silent" });
  const servers = () => [
    { name: "slack", transport: "stdio" },
    { name: "starting", transport: null },
  ];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
    pool = createTestPool(database.url);
    apiKey = (await seedOrgWithKey(db, "reporting")).apiKey;
    gateway = await startTestGateway(database.url);
    root = await mkdtemp(join(tmpdir(), "mcpx-reporting-"));
  });
  afterAll(async () => {
    await gateway.close();
    await pool.end();
    await db.$disconnect();
    await database.drop();
    await rm(root, { recursive: true, force: true });
  });

  it("without a gateway, logs events locally and keeps no spool", async () => {
    const stateDir = join(root, "local");
    const reporting = await createReporting({
      stateDir,
      spoolMaxBytes: 1024 * 1024,
      env: {},
      log,
      servers,
    });
    expect(reporting.agentId).toBe((await loadAgentIdentity({ stateDir })).agentId);
    reporting.events.record(toolCall());
    expect(reporting.status()).toEqual({
      gateway: { configured: false, connected: false, url: null, lastError: null },
      spool: null,
    });
    await reporting.close();
    expect(await readdir(stateDir)).toEqual(["agent.json"]);
  });

  it("with LUNAR_GATEWAY_URL and LUNAR_API_KEY, reports through a spool in the state directory", async () => {
    const stateDir = join(root, "reporting");
    const reporting = await createReporting({
      stateDir,
      name: "ci-runner",
      spoolMaxBytes: 1024 * 1024,
      env: { LUNAR_GATEWAY_URL: `http://127.0.0.1:${gateway.port}`, LUNAR_API_KEY: apiKey },
      log,
      servers,
    });
    const event = toolCall();
    reporting.events.record(event);
    await eventually(
      async () =>
        (await pool.query("SELECT 1 FROM events WHERE event_id = $1", [event.id])).rowCount,
      (rows) => rows === 1,
      "the event to be stored",
    );
    const status = reporting.status();
    expect(status.gateway).toEqual({
      configured: true,
      connected: true,
      url: `ws://127.0.0.1:${gateway.port}/v1/agent`,
      lastError: null,
    });
    expect(status.spool).toMatchObject({ dropped: 0 });
    const agent = await pool.query("SELECT name, servers FROM agents WHERE id = $1", [
      reporting.agentId,
    ]);
    // A server whose transport is not known yet is announced once it is (serversChanged).
    expect(agent.rows[0]).toEqual({
      name: "ci-runner",
      servers: [{ name: "slack", transport: "stdio" }],
    });
    await reporting.close();
    // Closing let go of the spool: the next run opens it.
    expect(await readdir(join(stateDir, "spool"))).not.toContain("LOCK");
  });

  it("refuses to start with half a gateway configuration", async () => {
    await expect(
      createReporting({
        stateDir: join(root, "half"),
        spoolMaxBytes: 1024 * 1024,
        env: { LUNAR_API_KEY: apiKey },
        log,
        servers,
      }),
    ).rejects.toBeInstanceOf(GatewayConfigError);
  });
});
