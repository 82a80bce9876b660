// Runs `prisma generate` for the schema at the repo root.
// The Prisma CLI downloads its schema engine on start, from a host our machines cannot reach;
// `generate` does not need that engine, so when none is installed we point
// PRISMA_SCHEMA_ENGINE_BINARY at any existing executable to make the CLI skip the download.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}
const result = spawnSync("npx", ["prisma", "generate", "--config", "prisma.config.ts"], {
  cwd: root,
  env,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
