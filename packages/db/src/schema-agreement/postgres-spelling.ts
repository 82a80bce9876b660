// How Postgres spells types, identifiers and defaults, so both sides of the comparison use the
// same text. Every mapping here matches what format_type / pg_get_expr print on PostgreSQL 15.

import type { ReferentialAction } from "./schema-shape";

/** Quotes an identifier the way format_type and pg_get_expr do (reserved words aside). */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** The column type Prisma's migrations create for a scalar without `@db.*`. */
const PRISMA_SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Boolean: "boolean",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

// (6) is Postgres' default precision: TIMESTAMP and TIMESTAMP(6) are the same type but print
// differently, so both sides drop it (see normalizeType).
const precision = (args: readonly string[]) =>
  args[0] === undefined || args[0] === "6" ? "" : `(${args[0]})`;

/** `@db.<Name>(args)` of the postgresql connector. */
const NATIVE_TYPES: Record<string, (args: readonly string[]) => string> = {
  Text: () => "text",
  Char: (args) => `character(${args[0] ?? "1"})`,
  VarChar: (args) => (args[0] ? `character varying(${args[0]})` : "character varying"),
  Bit: (args) => `bit(${args[0] ?? "1"})`,
  VarBit: (args) => (args[0] ? `bit varying(${args[0]})` : "bit varying"),
  Uuid: () => "uuid",
  Xml: () => "xml",
  Inet: () => "inet",
  Citext: () => "citext",
  Boolean: () => "boolean",
  Integer: () => "integer",
  SmallInt: () => "smallint",
  BigInt: () => "bigint",
  Oid: () => "oid",
  DoublePrecision: () => "double precision",
  Real: () => "real",
  Decimal: (args) => (args.length > 0 ? `numeric(${args.join(",")})` : "numeric"),
  Money: () => "money",
  Date: () => "date",
  Timestamp: (args) => `timestamp${precision(args)} without time zone`,
  Timestamptz: (args) => `timestamp${precision(args)} with time zone`,
  Time: (args) => `time${precision(args)} without time zone`,
  Timetz: (args) => `time${precision(args)} with time zone`,
  Json: () => "json",
  JsonB: () => "jsonb",
  ByteA: () => "bytea",
};

export function scalarType(
  prismaType: string,
  nativeType: readonly [string, readonly string[]] | null | undefined,
): string {
  if (nativeType) {
    const [name, args] = nativeType;
    const render = NATIVE_TYPES[name];
    if (!render) throw new Error(`schema-agreement does not know native type @db.${name}`);
    return render(args);
  }
  const type = PRISMA_SCALAR_TYPES[prismaType];
  if (!type) throw new Error(`schema-agreement does not know Prisma type ${prismaType}`);
  return type;
}

export function normalizeType(type: string): string {
  return type.replace(/^(timestamp|time)\(6\)/, "$1");
}

/** The type name pg_get_expr puts after `::` in a literal's cast: no modifiers, bpchar for char. */
export function castName(type: string): string {
  const bare = type.replace(/\(\d+(,\d+)?\)/, "");
  return bare === "character" ? "bpchar" : bare;
}

export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

const NUMERIC_CAST = "(?:integer|bigint|smallint|numeric|double precision|real)";
const NUMBER = "(-?\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?)";

/**
 * Makes equivalent spellings of a default equal: Postgres prints negative and widened numbers as
 * casts ('-1'::integer, (2)::double precision), and now() means CURRENT_TIMESTAMP.
 */
export function normalizeDefault(expression: string): string {
  return expression
    .replace(new RegExp(`'${NUMBER}'::${NUMERIC_CAST}`, "gi"), "$1")
    .replace(new RegExp(`\\(${NUMBER}\\)::${NUMERIC_CAST}`, "gi"), "$1")
    .replace(/^now\(\)$/i, "CURRENT_TIMESTAMP");
}

/** pg_constraint.confdeltype / confupdtype codes. */
export const ACTION_BY_CODE: Record<string, ReferentialAction> = {
  a: "NO ACTION",
  r: "RESTRICT",
  c: "CASCADE",
  n: "SET NULL",
  d: "SET DEFAULT",
};

/** Prisma's `onDelete:` / `onUpdate:` values. */
export const ACTION_BY_PRISMA_NAME: Record<string, ReferentialAction> = {
  NoAction: "NO ACTION",
  Restrict: "RESTRICT",
  Cascade: "CASCADE",
  SetNull: "SET NULL",
  SetDefault: "SET DEFAULT",
};
