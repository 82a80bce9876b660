import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/create-test-database";
import { MIGRATIONS_TABLE, MigrationChecksumError, runMigrations } from "./run-migrations";

let database: TestDatabase;
let migrationsDir: string;

beforeEach(async () => {
  database = await createTestDatabase({ migrate: false });
  migrationsDir = await mkdtemp(join(tmpdir(), "lunar-migrations-"));
});

afterEach(async () => {
  await database?.drop();
  await rm(migrationsDir, { recursive: true, force: true });
});

async function writeMigration(name: string, sql: string): Promise<void> {
  await mkdir(join(migrationsDir, name), { recursive: true });
  await writeFile(join(migrationsDir, name, "migration.sql"), sql);
}

const migrate = () => runMigrations(database.url, migrationsDir);
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

async function query<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function tableExists(name: string): Promise<boolean> {
  const [row] = await query<{ exists: boolean }>("SELECT to_regclass($1) IS NOT NULL AS exists", [
    name,
  ]);
  return row?.exists ?? false;
}

async function recorded(): Promise<{ name: string; checksum: string }[]> {
  return query(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}" ORDER BY name`);
}

const CREATE_NOTES = "CREATE TABLE notes (id integer PRIMARY KEY);";
const ADD_BODY = "ALTER TABLE notes ADD COLUMN body text;";
const SEED_NOTE = "INSERT INTO notes (id, body) VALUES (1, 'first');";

describe("runMigrations", () => {
  it("applies pending migrations in timestamp order and records each with its checksum", async () => {
    // Written newest first: the runner must order by name, not by how the folders were created.
    await writeMigration("20260103000000_seed_note", SEED_NOTE);
    await writeMigration("20260102000000_add_body", ADD_BODY);
    await writeMigration("20260101000000_create_notes", CREATE_NOTES);
    const log: string[] = [];

    const result = await runMigrations(database.url, migrationsDir, (line) => log.push(line));

    const names = [
      "20260101000000_create_notes",
      "20260102000000_add_body",
      "20260103000000_seed_note",
    ];
    expect(result).toEqual({ applied: names, alreadyApplied: [] });
    expect(log).toEqual(names.map((name) => `applied migration ${name}`));
    expect(await query("SELECT id, body FROM notes")).toEqual([{ id: 1, body: "first" }]);
    expect(await recorded()).toEqual([
      { name: names[0], checksum: sha256(CREATE_NOTES) },
      { name: names[1], checksum: sha256(ADD_BODY) },
      { name: names[2], checksum: sha256(SEED_NOTE) },
    ]);
  });

  it("applies nothing when run again", async () => {
    await writeMigration("20260101000000_create_notes", CREATE_NOTES);
    await writeMigration("20260102000000_seed_note", "INSERT INTO notes (id) VALUES (1);");
    await migrate();
    const before = await recorded();

    // Either migration would fail if run twice (existing table, duplicate key).
    const second = await migrate();

    expect(second).toEqual({
      applied: [],
      alreadyApplied: ["20260101000000_create_notes", "20260102000000_seed_note"],
    });
    expect(await recorded()).toEqual(before);
  });

  it("refuses to run, applying nothing new, when an applied migration's file was changed", async () => {
    await writeMigration("20260101000000_create_notes", CREATE_NOTES);
    await migrate();
    await writeMigration("20260101000000_create_notes", `${CREATE_NOTES}\n-- edited afterwards\n`);
    await writeMigration("20260102000000_create_tags", "CREATE TABLE tags (id integer);");

    const run = migrate();

    await expect(run).rejects.toBeInstanceOf(MigrationChecksumError);
    await expect(run).rejects.toMatchObject({ migration: "20260101000000_create_notes" });
    expect(await tableExists("tags")).toBe(false);
    expect(await recorded()).toEqual([
      { name: "20260101000000_create_notes", checksum: sha256(CREATE_NOTES) },
    ]);
  });

  it("rolls a failing migration back entirely, unrecorded, and keeps the earlier ones", async () => {
    await writeMigration("20260101000000_create_notes", CREATE_NOTES);
    // The table is created before the failing statement: it must not survive the failure.
    await writeMigration(
      "20260102000000_half_done",
      "CREATE TABLE half (id integer);\nINSERT INTO no_such_table VALUES (1);",
    );
    await writeMigration("20260103000000_create_tags", "CREATE TABLE tags (id integer);");

    await expect(migrate()).rejects.toThrow(/Migration 20260102000000_half_done failed/);

    expect(await tableExists("notes")).toBe(true);
    expect(await tableExists("half")).toBe(false);
    expect(await tableExists("tags")).toBe(false);
    expect((await recorded()).map((row) => row.name)).toEqual(["20260101000000_create_notes"]);
  });

  it("applies each migration exactly once when several runners start together", async () => {
    await writeMigration("20260101000000_create_runs", "CREATE TABLE runs (migration text);");
    await writeMigration("20260102000000_count_run", "INSERT INTO runs VALUES ('second');");
    await writeMigration("20260103000000_count_run_again", "INSERT INTO runs VALUES ('third');");
    const names = [
      "20260101000000_create_runs",
      "20260102000000_count_run",
      "20260103000000_count_run_again",
    ];

    const results = await Promise.all([migrate(), migrate(), migrate(), migrate()]);

    expect(results.flatMap((result) => result.applied).sort()).toEqual(names);
    for (const result of results) {
      expect([...result.applied, ...result.alreadyApplied].sort()).toEqual(names);
    }
    expect(await query("SELECT migration FROM runs ORDER BY migration")).toEqual([
      { migration: "second" },
      { migration: "third" },
    ]);
    expect((await recorded()).map((row) => row.name)).toEqual(names);
  });

  it.each([
    "2026_create_notes",
    "20260101000000-create-notes",
    "20260101000000_CreateNotes",
    "create_notes",
  ])("rejects the badly named migration folder %s before applying anything", async (badName) => {
    await writeMigration("20260101000000_create_tags", "CREATE TABLE tags (id integer);");
    await writeMigration(badName, CREATE_NOTES);

    await expect(migrate()).rejects.toThrow(`Migration folder "${badName}" must be named`);

    expect(await tableExists("tags")).toBe(false);
    expect(await tableExists("notes")).toBe(false);
  });
});
