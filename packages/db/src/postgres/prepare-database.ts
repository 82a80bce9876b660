import { join } from "node:path";
import { MIGRATIONS_DIR, REPO_ROOT } from "../migrations/paths";
import { runMigrations } from "../migrations/run-migrations";
import { type RunningPostgres, startEmbeddedPostgres } from "./embedded-postgres";
import { ensureDatabase, withDatabase } from "./ensure-database";

export const EMBEDDED_POSTGRES_PORT = 54329;
export const EMBEDDED_DATA_DIR = join(REPO_ROOT, ".data", "postgres");
const DEFAULT_DATABASE = "lunar";

export interface PreparedDatabase {
  databaseUrl: string;
  /** Set when we started an embedded server, which the caller stops on exit. */
  embedded: RunningPostgres | undefined;
}

/**
 * The database the system runs on: `DATABASE_URL` when given, else an embedded PostgreSQL under
 * .data/. Either way the database exists and is migrated when this returns.
 */
export async function prepareDatabase(options: {
  databaseUrl: string | undefined;
  embeddedPort?: number;
  embeddedDataDir?: string;
  log?: (message: string) => void;
}): Promise<PreparedDatabase> {
  const log = options.log ?? (() => {});
  let embedded: RunningPostgres | undefined;
  let databaseUrl = options.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: options.embeddedDataDir ?? EMBEDDED_DATA_DIR,
      port: options.embeddedPort ?? EMBEDDED_POSTGRES_PORT,
      log,
    });
    databaseUrl = withDatabase(embedded.serverUrl, DEFAULT_DATABASE);
  }
  await ensureDatabase(databaseUrl);
  await runMigrations(databaseUrl, MIGRATIONS_DIR, log);
  return { databaseUrl, embedded };
}
