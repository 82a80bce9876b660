export { actualSchemaFromDatabase } from "./actual-from-database";
export { compareSchemas } from "./compare-schemas";
export { expectedSchemaFromPrisma } from "./expected-from-prisma";
export { NOT_IN_PRISMA, type NotInPrisma } from "./not-in-prisma";
export type * from "./schema-shape";
