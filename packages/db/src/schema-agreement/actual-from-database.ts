// The structure of the database's `public` schema, read from pg_catalog and reduced to the same
// shape as expectedSchemaFromPrisma. Names are cast to text: node-pg does not parse name[].

import type pg from "pg";
import { ACTION_BY_CODE, normalizeDefault, normalizeType } from "./postgres-spelling";
import type { DatabaseShape, IndexShape, ReferentialAction, TableShape } from "./schema-shape";

type Queryable = Pick<pg.ClientBase, "query">;

// Ordinary and partitioned tables of `public`; `c` is the table's pg_class row.
const IN_PUBLIC = `JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`;

// A partition's `parent` is the root of its partition tree (sub-partitions included).
const TABLES = `SELECT c.relname::text AS name, c.relkind = 'p' AS partitioned,
    (SELECT r.relname::text FROM pg_class r
      WHERE c.relispartition AND r.oid = pg_partition_root(c.oid)) AS parent
  FROM pg_class c ${IN_PUBLIC}`;

const COLUMNS = `SELECT c.relname::text AS table, a.attname::text AS name,
    format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
    pg_get_expr(d.adbin, d.adrelid) AS default, a.attgenerated <> '' AS generated
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  ${IN_PUBLIC} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`;

// One row per index. Key columns by name (or expression), with DESC from indoption bit 0;
// columns past indnkeyatts are INCLUDE columns.
const INDEXES = `SELECT c.relname::text AS table, ic.relname::text AS name, x.indisprimary AS primary,
    x.indisunique AS unique, am.amname::text AS method, pg_get_expr(x.indpred, x.indrelid) AS where,
    ARRAY(SELECT CASE WHEN k.attnum = 0 THEN pg_get_indexdef(x.indexrelid, k.ord::int, true)
                      ELSE (SELECT a.attname::text FROM pg_attribute a
                            WHERE a.attrelid = x.indrelid AND a.attnum = k.attnum) END
        || CASE WHEN k.ord > x.indnkeyatts THEN ' INCLUDE'
                WHEN (x.indoption::int2[])[k.ord - 1] & 1 = 1 THEN ' DESC' ELSE '' END
      FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) ORDER BY k.ord) AS columns
  FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid JOIN pg_am am ON am.oid = ic.relam
  JOIN pg_class c ON c.oid = x.indrelid ${IN_PUBLIC}`;

const COLUMN_NAMES = (keys: string, relation: string) =>
  `ARRAY(SELECT a.attname::text FROM unnest(${keys}) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = ${relation} AND a.attnum = k.attnum ORDER BY k.ord)`;

// conparentid = 0: constraints cloned onto partitions belong to their parent's constraint.
const CONSTRAINTS = `SELECT c.relname::text AS table, con.conname::text AS name,
    con.contype::text AS kind, pg_get_constraintdef(con.oid) AS definition,
    ${COLUMN_NAMES("con.conkey", "con.conrelid")} AS columns,
    r.relname::text AS referenced_table, ${COLUMN_NAMES("con.confkey", "con.confrelid")}
      AS referenced_columns,
    con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update
  FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
  LEFT JOIN pg_class r ON r.oid = con.confrelid
  ${IN_PUBLIC} AND con.contype IN ('f', 'c') AND con.conparentid = 0`;

const TRIGGERS = `SELECT c.relname::text AS table, t.tgname::text AS name
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
  ${IN_PUBLIC} AND NOT t.tgisinternal AND t.tgparentid = 0`;

const ENUMS = `SELECT t.typname::text AS name,
    array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  JOIN pg_enum e ON e.enumtypid = t.oid
  WHERE n.nspname = 'public' GROUP BY t.typname`;

export async function actualSchemaFromDatabase(client: Queryable): Promise<DatabaseShape> {
  const tableRows = (await client.query(TABLES)).rows;
  const partitions = tableRows.filter((row) => row.parent !== null);
  const roots = tableRows.filter((row) => row.parent === null);
  const tables = new Map<string, TableShape>(
    roots.map((row) => [
      row.name,
      { name: row.name, columns: [], primaryKey: null, indexes: [], foreignKeys: [] },
    ]),
  );

  for (const row of (await client.query(COLUMNS)).rows) {
    const expression = row.default === null ? null : normalizeDefault(row.default);
    tables.get(row.table)?.columns.push({
      name: row.name,
      type: normalizeType(row.type),
      nullable: row.nullable,
      // A generated column is not a default; spell it so it can never equal one.
      default: row.generated ? `GENERATED ALWAYS AS ${expression}` : expression,
    });
  }

  for (const row of (await client.query(INDEXES)).rows) {
    const table = tables.get(row.table);
    if (!table) continue;
    if (row.primary) {
      table.primaryKey = { name: row.name, columns: row.columns };
      continue;
    }
    const { name, columns, unique, method, where } = row;
    table.indexes.push({ name, columns, unique, method, where } satisfies IndexShape);
  }

  const checks: DatabaseShape["checks"] = [];
  for (const row of (await client.query(CONSTRAINTS)).rows) {
    if (row.kind === "c") {
      checks.push({ table: row.table, name: row.name, definition: row.definition });
      continue;
    }
    tables.get(row.table)?.foreignKeys.push({
      name: row.name,
      columns: row.columns,
      referencedTable: row.referenced_table,
      referencedColumns: row.referenced_columns,
      onDelete: actionOf(row.on_delete),
      onUpdate: actionOf(row.on_update),
    });
  }

  return {
    tables: [...tables.values()],
    enums: (await client.query(ENUMS)).rows.map((row) => ({ name: row.name, values: row.values })),
    partitionedTables: roots.filter((row) => row.partitioned).map((row) => row.name),
    partitions: partitions.map((row) => ({ name: row.name, parent: row.parent })),
    triggers: (await client.query(TRIGGERS)).rows.map(({ table, name }) => ({ table, name })),
    checks,
  };
}

function actionOf(code: string): ReferentialAction {
  const action = ACTION_BY_CODE[code];
  if (!action) throw new Error(`Unknown pg_constraint action code ${code}`);
  return action;
}
