// Read by the Prisma CLI (only `prisma generate` is used: migrations are our own SQL runner).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
