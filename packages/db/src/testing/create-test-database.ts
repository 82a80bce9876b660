import { randomBytes } from "node:crypto";
import { MIGRATIONS_DIR } from "../migrations/paths";
import { runMigrations } from "../migrations/run-migrations";
import { dropDatabase, ensureDatabase, withDatabase } from "../postgres/ensure-database";

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database on the test server, so test files never see each other's rows.
 * The server is DATABASE_URL's (scripts/test.mjs points it at the machine's Postgres or starts
 * the embedded one).
 */
export async function createTestDatabase(
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    throw new Error(
      "DATABASE_URL is not set: run tests through `npm test`, which provides a Postgres",
    );
  }
  const url = withDatabase(serverUrl, `lunar_test_${randomBytes(6).toString("hex")}`);
  await ensureDatabase(url);
  if (options.migrate !== false) await runMigrations(url, MIGRATIONS_DIR);
  return { url, drop: () => dropDatabase(url) };
}
