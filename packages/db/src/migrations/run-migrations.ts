import pg from "pg";
import { type MigrationFile, readMigrations } from "./read-migrations";

export const MIGRATIONS_TABLE = "_lunar_migrations";
// Any constant works; it only has to be the same for every runner of this schema.
const MIGRATION_LOCK_ID = 727_105_001;

export class MigrationChecksumError extends Error {
  constructor(readonly migration: string) {
    super(
      `Migration ${migration} was changed after it was applied. Applied migrations are ` +
        "immutable: revert the edit and add a new migration instead.",
    );
    this.name = "MigrationChecksumError";
  }
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

/**
 * Applies pending migrations in order, each in its own transaction, recording name and checksum.
 * Safe to run concurrently (an advisory lock serialises runners) and repeatedly (applied ones are
 * skipped). Refuses to run at all when an applied migration's file has changed since.
 */
export async function runMigrations(
  databaseUrl: string,
  migrationsDir: string,
  log: (message: string) => void = () => {},
): Promise<MigrationResult> {
  const migrations = await readMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
      name TEXT PRIMARY KEY,
      checksum TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      `SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`,
    );
    const applied = new Map(rows.map((row) => [row.name, row.checksum]));
    verifyAppliedUnchanged(migrations, applied);

    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      if (applied.has(migration.name)) {
        result.alreadyApplied.push(migration.name);
        continue;
      }
      await applyOne(client, migration);
      log(`applied migration ${migration.name}`);
      result.applied.push(migration.name);
    }
    return result;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => {});
    await client.end();
  }
}

function verifyAppliedUnchanged(migrations: MigrationFile[], applied: Map<string, string>): void {
  for (const migration of migrations) {
    const checksum = applied.get(migration.name);
    if (checksum !== undefined && checksum !== migration.checksum) {
      throw new MigrationChecksumError(migration.name);
    }
  }
}

async function applyOne(client: pg.Client, migration: MigrationFile): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(migration.sql);
    await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum) VALUES ($1, $2)`, [
      migration.name,
      migration.checksum,
    ]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
