import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createDb, type Db } from "@lunar/db";
import { createTestDatabase, type TestDatabase } from "@lunar/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedOrgWithKey } from "./testing/seed";
import { exited, freePort, spawnGateway } from "./testing/spawn-gateway";
import { TestAgent } from "./testing/test-agent";

const GATEWAY_DIR = fileURLToPath(new URL("..", import.meta.url));

// What the Docker image runs: scripts/build.mjs's bundle, started with plain node. The bundle's
// npm imports resolve from node_modules, so the build goes to a temporary directory inside the
// workspace (under node_modules, ignored by git), not to the system temp directory.
describe("the built gateway (dist/main.js)", { timeout: 60_000 }, () => {
  let outdir: string;
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    const parent = join(GATEWAY_DIR, "node_modules");
    await mkdir(parent, { recursive: true });
    outdir = await mkdtemp(join(parent, ".built-gateway-test-"));
    await promisify(execFile)(process.execPath, [join(GATEWAY_DIR, "scripts/build.mjs"), outdir]);
    database = await createTestDatabase();
    db = createDb(database.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
    if (outdir) await rm(outdir, { recursive: true, force: true });
  });

  it("starts without tsx, answers /healthz and welcomes an agent with a seeded key", async () => {
    const org = await seedOrgWithKey(db, "built");
    const port = await freePort();
    const main = join(outdir, "main.js");
    const gateway = await spawnGateway(database.url, port, { built: main });
    try {
      // Plain node on the bundle: no loader on the command line or in the environment.
      expect(gateway.spawnargs.slice(1)).toEqual(["--max-semi-space-size=64", main]);
      if (existsSync(`/proc/${gateway.pid}/cmdline`)) {
        const cmdline = (await readFile(`/proc/${gateway.pid}/cmdline`, "utf8")).split("\0");
        expect(cmdline.filter((arg) => /tsx|--import|--loader|--require/.test(arg))).toEqual([]);
        const environ = (await readFile(`/proc/${gateway.pid}/environ`, "utf8")).split("\0");
        expect(environ.filter((entry) => entry.startsWith("NODE_OPTIONS="))).toEqual([]);
      }

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);

      const agent = await TestAgent.connect(port, org.apiKey);
      agent.hello();
      const welcome = await agent.next("welcome");
      expect(welcome.type).toBe("welcome");
      await agent.next("flows");
      agent.close();
    } finally {
      gateway.kill("SIGTERM");
      expect(await exited(gateway)).toBe(0);
    }
  });
});
