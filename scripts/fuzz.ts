// `npm run fuzz [runs]`: the nightly-sized fuzz. The gateway's property-based fuzz and its
// hostile-input regressions (apps/gateway/src/fuzz) with FUZZ_RUNS runs (default 2,000), against
// DATABASE_URL's Postgres or the embedded one `npm test` uses; then the web API fuzz
// (apps/web/e2e/api-fuzz.spec.ts) with FUZZ_WEB_RUNS requests per route (default half the runs)
// against a production build, as `npm test` runs end-to-end tests. FUZZ_SEED is passed on.
import { join } from "node:path";
import { EMBEDDED_DATA_DIR, type RunningPostgres, startEmbeddedPostgres } from "@lunar/db/embedded";
import {
  dropDatabase,
  ensureDatabase,
  MIGRATIONS_DIR,
  runMigrations,
  withDatabase,
} from "@lunar/db/postgres";
import { ROOT, run } from "./lib/run";

const runs = Number(process.argv[2] ?? process.env.FUZZ_RUNS ?? 2_000);
const webRuns = Number(process.env.FUZZ_WEB_RUNS ?? Math.ceil(runs / 2));
const log = (message: string) => process.stderr.write(`\n[fuzz] ${message}\n`);
const results: { step: string; ok: boolean }[] = [];

async function step(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  log(name);
  const code = await run("npx", args, { env });
  results.push({ step: name, ok: code === 0 });
  return code === 0;
}

/** DATABASE_URL's server, else the embedded one `npm test` uses (same directory and port). */
async function testPostgres(): Promise<{ url: string; embedded?: RunningPostgres }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL };
  const embedded = await startEmbeddedPostgres({
    dataDir: join(EMBEDDED_DATA_DIR, "..", "test-postgres"),
    port: 54330,
    log,
  });
  return { url: withDatabase(embedded.serverUrl, "postgres"), embedded };
}

const { url: databaseUrl, embedded } = await testPostgres();
try {
  await step(
    `gateway fuzz, ${runs} runs`,
    ["vitest", "run", "--root", "apps/gateway", "src/fuzz/"],
    {
      DATABASE_URL: databaseUrl,
      FUZZ_RUNS: String(runs),
    },
  );
  const build = ["turbo", "run", "build", "--filter=@lunar/web", "--output-logs=errors-only"];
  if (await step("build dashboard", build, {})) {
    const e2eDatabaseUrl = withDatabase(databaseUrl, `lunar_fuzz_${Date.now()}`);
    await ensureDatabase(e2eDatabaseUrl);
    await runMigrations(e2eDatabaseUrl, MIGRATIONS_DIR);
    const config = join(ROOT, "apps/web/playwright.config.ts");
    await step(
      `web API fuzz, ${webRuns} requests per route`,
      ["playwright", "test", "--config", config, "api-fuzz.spec.ts"],
      { E2E_DATABASE_URL: e2eDatabaseUrl, FUZZ_RUNS: String(webRuns) },
    );
    await dropDatabase(e2eDatabaseUrl);
  }
} finally {
  await embedded?.stop();
  log("summary");
  for (const { step: name, ok } of results)
    process.stderr.write(`  ${ok ? "pass" : "FAIL"}  ${name}\n`);
}
process.exit(results.length > 0 && results.every((result) => result.ok) ? 0 : 1);
