// The Postgres structure both sides are reduced to, spelled the way Postgres prints it
// (format_type, pg_get_expr), so the comparison is plain string equality.

export type ReferentialAction = "CASCADE" | "RESTRICT" | "NO ACTION" | "SET NULL" | "SET DEFAULT";

export interface ColumnShape {
  name: string;
  /** As `format_type` prints it, e.g. `timestamp(3) with time zone`, `text[]`. */
  type: string;
  nullable: boolean;
  /** As `pg_get_expr` prints it (see normalizeDefault), or null for none. */
  default: string | null;
}

export interface PrimaryKeyShape {
  name: string;
  columns: string[];
}

export interface IndexShape {
  name: string;
  /** In index order; `col DESC` for descending, `col INCLUDE` for covering columns. */
  columns: string[];
  unique: boolean;
  /** Access method: btree, hash, gin, ... */
  method: string;
  /** Partial-index predicate; Prisma cannot express one, so it is always null there. */
  where: string | null;
}

export interface ForeignKeyShape {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
}

export interface TableShape {
  name: string;
  columns: ColumnShape[];
  primaryKey: PrimaryKeyShape | null;
  /** Unique and normal indexes; the primary key's index is not repeated here. */
  indexes: IndexShape[];
  foreignKeys: ForeignKeyShape[];
}

export interface EnumShape {
  name: string;
  values: string[];
}

/** What Prisma describes, and the part of the database that can be compared with it. */
export interface SchemaShape {
  /** Partitions are not tables here: they belong to their parent (DatabaseShape.partitions). */
  tables: TableShape[];
  enums: EnumShape[];
}

/** The database also holds objects Prisma cannot describe; they are checked against NOT_IN_PRISMA. */
export interface DatabaseShape extends SchemaShape {
  partitionedTables: string[];
  partitions: { name: string; parent: string }[];
  triggers: { table: string; name: string }[];
  checks: { table: string; name: string; definition: string }[];
}
