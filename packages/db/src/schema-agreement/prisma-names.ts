// Prisma's default constraint and index names for PostgreSQL (psl ConstraintNames): built from the
// database names of table and columns; when too long for Postgres' 63-byte identifiers, the
// `{table}_{columns}` part is cut so that the suffix still fits.

const MAX_IDENTIFIER_LENGTH = 63;

function withSuffix(base: string, suffix: string): string {
  const limit = MAX_IDENTIFIER_LENGTH - suffix.length;
  return `${base.length >= limit ? base.slice(0, limit) : base}${suffix}`;
}

export function primaryKeyName(table: string): string {
  return withSuffix(table, "_pkey");
}

export function uniqueIndexName(table: string, columns: readonly string[]): string {
  return withSuffix(`${table}_${columns.join("_")}`, "_key");
}

export function normalIndexName(table: string, columns: readonly string[]): string {
  return withSuffix(`${table}_${columns.join("_")}`, "_idx");
}

export function foreignKeyName(table: string, columns: readonly string[]): string {
  return withSuffix(`${table}_${columns.join("_")}`, "_fkey");
}

/** The sequence a SERIAL column (Prisma's autoincrement()) gets from Postgres. */
export function serialSequenceName(table: string, column: string): string {
  return `${table}_${column}_seq`;
}
