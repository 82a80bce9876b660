// The ONE list of database objects that prisma/schema.prisma cannot express. Everything else in
// the `public` schema must match the Prisma schema exactly (schema-agreement.test.ts).
//
// Every entry must exist in the migrated database, or the agreement test fails: the list cannot
// keep naming objects a later migration dropped. Say why each entry exists, so the next person
// can tell whether it is still needed.

export interface NotInPrisma {
  /** Whole tables with no Prisma model (their columns, keys and indexes are not compared). */
  tables: readonly { name: string; why: string }[];
  /**
   * Tables of Prisma models that a migration created `PARTITION BY ...`. Their partitions are
   * accepted as part of them; any other partitioned table or partition is reported.
   */
  partitionedParents: readonly { table: string; why: string }[];
  /** Indexes Prisma cannot describe (partial, expression, INCLUDE, operator classes, ...). */
  indexes: readonly { table: string; name: string; why: string }[];
  /** Triggers; any trigger not listed here is reported. */
  triggers: readonly { table: string; name: string; why: string }[];
  /** CHECK constraints; any not listed here is reported. */
  checks: readonly { table: string; name: string; why: string }[];
}

export const NOT_IN_PRISMA: NotInPrisma = {
  tables: [
    {
      name: "_lunar_migrations",
      why: "Bookkeeping of our own migration runner (packages/db/src/migrations/run-migrations.ts).",
    },
  ],
  partitionedParents: [
    {
      table: "events",
      why: "Daily range partitions on occurred_at, created ahead and dropped after retention by the gateway (packages/db/src/events/event-partitions.ts).",
    },
  ],
  indexes: [],
  triggers: [],
  checks: [],
};
