import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCHEMA_PATH } from "../migrations/paths";
import { createTestDatabase, type TestDatabase } from "../testing/create-test-database";
import { actualSchemaFromDatabase } from "./actual-from-database";
import { compareSchemas } from "./compare-schemas";
import { expectedSchemaFromPrisma } from "./expected-from-prisma";
import { NOT_IN_PRISMA, type NotInPrisma } from "./not-in-prisma";
import type { SchemaShape } from "./schema-shape";

let database: TestDatabase;
let client: pg.Client;
let schemaText: string;
let expected: SchemaShape;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  schemaText = await readFile(SCHEMA_PATH, "utf8");
  expected = await expectedSchemaFromPrisma(schemaText);
});

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

/** The differences while `sql` is applied; rolled back after, so every test sees the migrations. */
async function differencesDuring(
  sql: string,
  schema: SchemaShape = expected,
  exceptions: NotInPrisma = NOT_IN_PRISMA,
): Promise<string[]> {
  await client.query("BEGIN");
  try {
    await client.query(sql);
    return compareSchemas(schema, await actualSchemaFromDatabase(client), exceptions);
  } finally {
    await client.query("ROLLBACK");
  }
}

/** The differences between the migrated database and the schema with one edit. */
async function differencesWithSchemaEdit(from: string, to: string): Promise<string[]> {
  // Exactly one match, or a later schema change would silently make the test compare nothing.
  expect(schemaText.split(from)).toHaveLength(2);
  const edited = await expectedSchemaFromPrisma(schemaText.replace(from, to));
  return compareSchemas(edited, await actualSchemaFromDatabase(client), NOT_IN_PRISMA);
}

const CREATE_TRIGGER = `
  CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
  CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch()`;

function expectOneDifferenceMentioning(differences: string[], ...words: string[]): void {
  expect(differences).toHaveLength(1);
  for (const word of words) expect(differences[0]).toContain(word);
}

describe("schema agreement", () => {
  it("the migrated database is exactly what prisma/schema.prisma describes", async () => {
    const actual = await actualSchemaFromDatabase(client);
    expect(compareSchemas(expected, actual, NOT_IN_PRISMA)).toEqual([]);
  });

  describe("a database change alone is reported", () => {
    it("an added column", async () => {
      const differences = await differencesDuring("ALTER TABLE users ADD COLUMN extra text");
      expectOneDifferenceMentioning(differences, '"users"', '"extra"', "not in the Prisma schema");
    });

    it("a dropped index", async () => {
      const differences = await differencesDuring("DROP INDEX sessions_expires_at_idx");
      expectOneDifferenceMentioning(
        differences,
        '"sessions"',
        "sessions_expires_at_idx",
        "missing",
      );
    });

    it("a changed default", async () => {
      const differences = await differencesDuring(
        "ALTER TABLE memberships ALTER COLUMN role SET DEFAULT 'admin'",
      );
      expectOneDifferenceMentioning(differences, '"memberships"', '"role"', "'admin'");
    });

    it("a changed nullability", async () => {
      const differences = await differencesDuring(
        "ALTER TABLE sessions ALTER COLUMN user_agent SET NOT NULL",
      );
      expectOneDifferenceMentioning(differences, '"sessions"', '"user_agent"', "NOT NULL");
    });

    it("a changed foreign key action", async () => {
      const differences = await differencesDuring(`
        ALTER TABLE sessions DROP CONSTRAINT sessions_user_id_fkey;
        ALTER TABLE sessions ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id)
          REFERENCES users (id) ON DELETE RESTRICT ON UPDATE CASCADE`);
      expectOneDifferenceMentioning(differences, '"sessions"', "sessions_user_id_fkey", "RESTRICT");
    });

    it("a trigger that NOT_IN_PRISMA does not list", async () => {
      const differences = await differencesDuring(CREATE_TRIGGER);
      expectOneDifferenceMentioning(differences, '"users"', '"users_touch"', "NOT_IN_PRISMA");
    });
  });

  describe("a schema change alone is reported", () => {
    it("an added field", async () => {
      const differences = await differencesWithSchemaEdit(
        '  passwordHash String       @map("password_hash")\n',
        '  passwordHash String       @map("password_hash")\n  nickname String?\n',
      );
      expectOneDifferenceMentioning(differences, '"users"', '"nickname"', "missing");
    });

    it("an optional field made required", async () => {
      const differences = await differencesWithSchemaEdit(
        "userAgent  String?",
        "userAgent  String",
      );
      expectOneDifferenceMentioning(differences, '"sessions"', '"user_agent"', "NOT NULL");
    });

    it("a removed @@index", async () => {
      const differences = await differencesWithSchemaEdit("  @@index([expiresAt])\n", "");
      expectOneDifferenceMentioning(differences, "sessions_expires_at_idx", "not in the Prisma");
    });

    it("a @db.Timestamptz(3) made a plain DateTime", async () => {
      const differences = await differencesWithSchemaEdit(
        'expiresAt  DateTime @map("expires_at") @db.Timestamptz(3)',
        'expiresAt  DateTime @map("expires_at")',
      );
      expectOneDifferenceMentioning(differences, '"expires_at"', "timestamp(3) without time zone");
    });

    it("a changed onDelete", async () => {
      const differences = await differencesWithSchemaEdit(
        "onDelete: SetNull)\n  agents      Agent[]",
        "onDelete: Cascade)\n  agents      Agent[]",
      );
      expectOneDifferenceMentioning(differences, "api_keys_created_by_id_fkey", "ON DELETE");
    });

    it("a required relation without onDelete expects Prisma's default, RESTRICT", async () => {
      // Session.user (Membership.user is spaced differently).
      const differences = await differencesWithSchemaEdit(
        "User     @relation(fields: [userId], references: [id], onDelete: Cascade)",
        "User     @relation(fields: [userId], references: [id])",
      );
      expectOneDifferenceMentioning(differences, "sessions_user_id_fkey", "RESTRICT");
    });

    it("an optional relation without onDelete expects Prisma's default, SET NULL", async () => {
      const differences = await differencesWithSchemaEdit(
        ", onDelete: SetNull)\n  agents      Agent[]",
        ")\n  agents      Agent[]",
      );
      expect(differences).toEqual([]);
    });
  });

  describe("NOT_IN_PRISMA", () => {
    it("cannot rot: an entry the database does not have is reported", async () => {
      const stale: NotInPrisma = {
        ...NOT_IN_PRISMA,
        indexes: [{ table: "users", name: "users_gone_idx", why: "dropped long ago" }],
        triggers: [{ table: "users", name: "users_gone", why: "dropped long ago" }],
      };
      const differences = await differencesDuring("SELECT 1", expected, stale);
      expect(differences).toHaveLength(2);
      expect(differences.join("\n")).toContain('"users_gone_idx"');
      expect(differences.join("\n")).toContain('"users_gone"');
    });

    it("accepts a listed trigger", async () => {
      const listed: NotInPrisma = {
        ...NOT_IN_PRISMA,
        triggers: [{ table: "users", name: "users_touch", why: "test" }],
      };
      const differences = await differencesDuring(CREATE_TRIGGER, expected, listed);
      expect(differences).toEqual([]);
    });

    it("reports a partitioned table and its partitions until the table is listed", async () => {
      const schema = await expectedSchemaFromPrisma(
        `${schemaText}\nmodel AuditEvent {\n  id Int @id\n\n  @@map("audit_events")\n}\n`,
      );
      const sql = `
        CREATE TABLE audit_events (id integer NOT NULL, CONSTRAINT audit_events_pkey PRIMARY KEY (id))
          PARTITION BY RANGE (id);
        CREATE TABLE audit_events_low PARTITION OF audit_events FOR VALUES FROM (0) TO (100)`;
      const unlisted = await differencesDuring(sql, schema);
      expect(unlisted).toHaveLength(2);
      expect(unlisted.join("\n")).toContain('"audit_events" is partitioned');
      expect(unlisted.join("\n")).toContain('"audit_events_low" is a partition');

      const listed: NotInPrisma = {
        ...NOT_IN_PRISMA,
        partitionedParents: [
          ...NOT_IN_PRISMA.partitionedParents,
          { table: "audit_events", why: "test" },
        ],
      };
      expect(await differencesDuring(sql, schema, listed)).toEqual([]);
    });
  });
});
