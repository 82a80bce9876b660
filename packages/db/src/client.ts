import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;

export function createDb(databaseUrl: string): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

// One client per process and URL. Kept on globalThis so Next.js dev reloads do not open a new
// pool on every edit.
const cache = globalThis as unknown as { __lunarDbs?: Map<string, Db> };

export function getDb(databaseUrl: string): Db {
  cache.__lunarDbs ??= new Map();
  let db = cache.__lunarDbs.get(databaseUrl);
  if (!db) {
    db = createDb(databaseUrl);
    cache.__lunarDbs.set(databaseUrl, db);
  }
  return db;
}
