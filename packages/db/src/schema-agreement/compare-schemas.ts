// Differences between the structure Prisma describes and the database, one readable line each.

import { checkNotInPrisma } from "./check-not-in-prisma";
import type { NotInPrisma } from "./not-in-prisma";
import { ANY_DEFAULT } from "./prisma-defaults";
import type {
  ColumnShape,
  DatabaseShape,
  EnumShape,
  ForeignKeyShape,
  IndexShape,
  PrimaryKeyShape,
  SchemaShape,
  TableShape,
} from "./schema-shape";

const IN_PRISMA = "in the Prisma schema";
const IN_DATABASE = "in the database";

/** Empty when the database is exactly what the Prisma schema plus `exceptions` describe. */
export function compareSchemas(
  expected: SchemaShape,
  actual: DatabaseShape,
  exceptions: NotInPrisma,
): string[] {
  const listedTables = new Set(exceptions.tables.map((table) => table.name));
  const listedIndexes = new Set(exceptions.indexes.map((index) => `${index.table}.${index.name}`));
  const comparable = actual.tables
    .filter((table) => !listedTables.has(table.name))
    .map((table) => ({
      ...table,
      indexes: table.indexes.filter((index) => !listedIndexes.has(`${table.name}.${index.name}`)),
    }));
  return [
    ...checkNotInPrisma(expected, actual, exceptions),
    ...compareByName(expected.enums, actual.enums, describeEnum, compareEnum),
    ...compareByName(expected.tables, comparable, (table) => `table "${table.name}"`, compareTable),
  ];
}

/** Pairs items by name: reports the unpaired ones, and compareItem's findings for the pairs. */
function compareByName<T extends { name: string }>(
  expected: readonly T[],
  actual: readonly T[],
  describe: (item: T) => string,
  compareItem: (expected: T, actual: T) => string[],
): string[] {
  const actualByName = new Map(actual.map((item) => [item.name, item]));
  const expectedNames = new Set(expected.map((item) => item.name));
  const differences: string[] = [];
  for (const item of expected) {
    const counterpart = actualByName.get(item.name);
    if (counterpart) differences.push(...compareItem(item, counterpart));
    else differences.push(`${describe(item)} is ${IN_PRISMA} but missing from the database`);
  }
  for (const item of actual) {
    if (!expectedNames.has(item.name)) {
      differences.push(`${describe(item)} is ${IN_DATABASE} but not ${IN_PRISMA}`);
    }
  }
  return differences;
}

/** `what` is X in Prisma but Y in the database, or nothing when they are equal. */
function differs(what: string, expected: string, actual: string): string[] {
  return expected === actual
    ? []
    : [`${what} is ${expected} ${IN_PRISMA} but ${actual} ${IN_DATABASE}`];
}

const describeEnum = (enumDef: EnumShape) => `enum "${enumDef.name}"`;

function compareEnum(expected: EnumShape, actual: EnumShape): string[] {
  // Compared as sets: value order only affects sorting, and Prisma's migrations append values.
  return compareByName(
    expected.values.map((name) => ({ name })),
    actual.values.map((name) => ({ name })),
    (value) => `${describeEnum(expected)}: value "${value.name}"`,
    () => [],
  );
}

function compareTable(expected: TableShape, actual: TableShape): string[] {
  const prefix = `table "${expected.name}"`;
  return [
    ...compareByName(
      expected.columns,
      actual.columns,
      (column) => `${prefix}: column "${column.name}"`,
      (e, a) => compareColumn(`${prefix}: column "${e.name}"`, e, a),
    ),
    ...differs(
      `${prefix}: primary key`,
      describeKey(expected.primaryKey),
      describeKey(actual.primaryKey),
    ),
    ...compareByName(
      expected.indexes,
      actual.indexes,
      (index) => `${prefix}: index ${describeIndex(index)}`,
      (e, a) => differs(`${prefix}: index "${e.name}"`, describeIndex(e), describeIndex(a)),
    ),
    ...compareByName(
      expected.foreignKeys,
      actual.foreignKeys,
      (key) => `${prefix}: foreign key ${describeForeignKey(key)}`,
      (e, a) =>
        differs(`${prefix}: foreign key "${e.name}"`, describeForeignKey(e), describeForeignKey(a)),
    ),
  ];
}

function compareColumn(what: string, expected: ColumnShape, actual: ColumnShape): string[] {
  const nullability = (column: ColumnShape) => (column.nullable ? "nullable" : "NOT NULL");
  const defaultOf = (column: ColumnShape) => column.default ?? "no default";
  const anyDefaultIsFine = expected.default === ANY_DEFAULT && actual.default !== null;
  return [
    ...differs(`${what} type`, expected.type, actual.type),
    ...differs(what, nullability(expected), nullability(actual)),
    ...(anyDefaultIsFine ? [] : differs(`${what} default`, defaultOf(expected), defaultOf(actual))),
  ];
}

function describeKey(key: PrimaryKeyShape | null): string {
  return key ? `"${key.name}" (${key.columns.join(", ")})` : "absent";
}

function describeIndex(index: IndexShape): string {
  const unique = index.unique ? "UNIQUE " : "";
  const where = index.where ? ` WHERE ${index.where}` : "";
  return `"${index.name}" ${unique}${index.method} (${index.columns.join(", ")})${where}`;
}

function describeForeignKey(key: ForeignKeyShape): string {
  const references = `${key.referencedTable} (${key.referencedColumns.join(", ")})`;
  const actions = `ON DELETE ${key.onDelete} ON UPDATE ${key.onUpdate}`;
  return `"${key.name}" (${key.columns.join(", ")}) REFERENCES ${references} ${actions}`;
}
