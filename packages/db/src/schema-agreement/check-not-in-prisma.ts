// Keeps NOT_IN_PRISMA honest: every entry must exist in the database (and not be something Prisma
// does describe), and every trigger, partition or CHECK constraint in the database must be listed.

import type { NotInPrisma } from "./not-in-prisma";
import type { DatabaseShape, SchemaShape } from "./schema-shape";

export function checkNotInPrisma(
  expected: SchemaShape,
  actual: DatabaseShape,
  list: NotInPrisma,
): string[] {
  return [...listedButAbsent(expected, actual, list), ...presentButUnlisted(actual, list)];
}

function listedButAbsent(expected: SchemaShape, actual: DatabaseShape, list: NotInPrisma) {
  const differences: string[] = [];
  const absent = (entry: string) =>
    differences.push(`NOT_IN_PRISMA lists ${entry}, which the database does not have`);
  const described = (entry: string) =>
    differences.push(`NOT_IN_PRISMA lists ${entry}, which the Prisma schema describes`);
  const tableNamed = (shape: SchemaShape, name: string) =>
    shape.tables.find((t) => t.name === name);
  const has = (items: readonly { table: string; name: string }[], table: string, name: string) =>
    items.some((item) => item.table === table && item.name === name);

  for (const { name } of list.tables) {
    if (!tableNamed(actual, name)) absent(`table "${name}"`);
    if (tableNamed(expected, name)) described(`table "${name}"`);
  }
  for (const { table } of list.partitionedParents) {
    if (!actual.partitionedTables.includes(table)) absent(`partitioned table "${table}"`);
  }
  for (const { table, name } of list.indexes) {
    const entry = `index "${name}" on table "${table}"`;
    const indexIn = (shape: SchemaShape) =>
      tableNamed(shape, table)?.indexes.some((index) => index.name === name) ?? false;
    if (!indexIn(actual)) absent(entry);
    if (indexIn(expected)) described(entry);
  }
  for (const { table, name } of list.triggers) {
    if (!has(actual.triggers, table, name)) absent(`trigger "${name}" on table "${table}"`);
  }
  for (const { table, name } of list.checks) {
    if (!has(actual.checks, table, name)) absent(`check constraint "${name}" on table "${table}"`);
  }
  return differences;
}

function presentButUnlisted(actual: DatabaseShape, list: NotInPrisma): string[] {
  const differences: string[] = [];
  const parents = new Set(list.partitionedParents.map((entry) => entry.table));
  const listed = (
    entries: readonly { table: string; name: string }[],
    table: string,
    name: string,
  ) => entries.some((entry) => entry.table === table && entry.name === name);

  for (const table of actual.partitionedTables) {
    if (!parents.has(table)) {
      differences.push(
        `table "${table}" is partitioned, which Prisma cannot express: ` +
          "list it in NOT_IN_PRISMA.partitionedParents",
      );
    }
  }
  for (const { name, parent } of actual.partitions) {
    if (!parents.has(parent)) {
      differences.push(
        `table "${name}" is a partition of "${parent}", which NOT_IN_PRISMA.partitionedParents ` +
          "does not list",
      );
    }
  }
  for (const { table, name } of actual.triggers) {
    if (!listed(list.triggers, table, name)) {
      differences.push(
        `table "${table}": trigger "${name}" is in the database but not in NOT_IN_PRISMA.triggers`,
      );
    }
  }
  for (const { table, name, definition } of actual.checks) {
    if (!listed(list.checks, table, name)) {
      differences.push(
        `table "${table}": check constraint "${name}" ${definition} is in the database but not ` +
          "in NOT_IN_PRISMA.checks",
      );
    }
  }
  return differences;
}
