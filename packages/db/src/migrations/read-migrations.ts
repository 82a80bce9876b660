import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export interface MigrationFile {
  /** Folder name, `<timestamp>_<name>`; the order migrations run in. */
  name: string;
  sql: string;
  checksum: string;
}

const MIGRATION_DIR_PATTERN = /^\d{14}_[a-z0-9_]+$/;

export async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrations: MigrationFile[] = [];
  for (const name of names) {
    if (!MIGRATION_DIR_PATTERN.test(name)) {
      throw new Error(`Migration folder "${name}" must be named <14-digit timestamp>_<snake_name>`);
    }
    const sql = await readFile(join(migrationsDir, name, "migration.sql"), "utf8");
    migrations.push({ name, sql, checksum: createHash("sha256").update(sql).digest("hex") });
  }
  return migrations;
}
