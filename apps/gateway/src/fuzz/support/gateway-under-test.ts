import { createDb, type Db } from "@lunar/db";
import { createTestDatabase, createTestPool, type TestDatabase } from "@lunar/db/testing";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { seedOrgWithKey } from "../../testing/seed";
import { TcpPauseProxy } from "../../testing/tcp-pause-proxy";
import { Canary } from "./canary";
import { GatewayProcess } from "./gateway-process";

type SeededOrg = Awaited<ReturnType<typeof seedOrgWithKey>>;

export interface GatewayUnderTest {
  database: TestDatabase;
  db: Db;
  pool: pg.Pool;
  gateway: GatewayProcess;
  /** Between the gateway and Postgres, when asked for: pause it, or refuse like a dead server. */
  proxy: TcpPauseProxy;
  /** The orgs the tests' agents use, in the order of the labels given. */
  orgs: SeededOrg[];
  /** The process is alive, nothing escaped its handlers, another org is acked within 5 s. */
  expectServing(): Promise<void>;
  /** `promise`, or if it fails and the gateway died, that: it explains a lost answer. */
  explained<T>(promise: Promise<T>): Promise<T>;
}

const UNCAUGHT = "lunar_gateway_uncaught_errors_total";

/**
 * A describe block's gateway process on a fresh test database, with orgs for its tests and a
 * canary agent of one more org. A test that fails gets the gateway stopped (it may be stuck)
 * and the next test a new one, so each fails for its own input only.
 */
export function useGatewayUnderTest(
  labels: string[],
  options: { env?: Record<string, string>; viaProxy?: boolean } = {},
): GatewayUnderTest {
  const t = {} as GatewayUnderTest;
  let canary: Canary;
  let uncaughtBefore = 0;

  beforeAll(async () => {
    t.database = await createTestDatabase();
    t.db = createDb(t.database.url);
    t.pool = createTestPool(t.database.url);
    t.orgs = [];
    for (const label of labels) t.orgs.push(await seedOrgWithKey(t.db, label));
    const bystander = await seedOrgWithKey(t.db, "canary");
    let gatewayUrl = t.database.url;
    if (options.viaProxy) {
      const target = new URL(t.database.url);
      t.proxy = new TcpPauseProxy(target.hostname, Number(target.port || 5432));
      await t.proxy.start();
      const proxied = new URL(t.database.url);
      proxied.hostname = "127.0.0.1";
      proxied.port = String(t.proxy.port);
      gatewayUrl = proxied.toString();
    }
    t.gateway = new GatewayProcess(gatewayUrl, options.env);
    await t.gateway.start();
    canary = new Canary(() => t.gateway.port, bystander.apiKey);
  }, 60_000);

  beforeEach(async () => {
    if (await t.gateway.ensureRunning()) canary.close();
    uncaughtBefore = await t.gateway.metric(UNCAUGHT);
  }, 30_000);

  afterEach(async ({ task }) => {
    t.proxy?.resume();
    t.proxy?.accept();
    if (task.result?.state === "fail") await t.gateway.stop();
  });

  afterAll(async () => {
    canary?.close();
    await t.gateway?.dispose();
    await t.proxy?.stop();
    await t.pool?.end();
    await t.db?.$disconnect();
    await t.database?.drop();
  });

  t.expectServing = async () => {
    await t.gateway.expectServing(uncaughtBefore);
    await canary.ackedWithin(5_000);
  };
  t.explained = async (promise) => {
    try {
      return await promise;
    } catch (error) {
      await t.gateway.expectServing(uncaughtBefore);
      throw error;
    }
  };
  return t;
}
