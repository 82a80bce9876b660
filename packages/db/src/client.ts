import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;

export function createDb(databaseUrl: string): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl });
  // An idle pooled connection that dies (Postgres restarted) must not crash the process: the pool
  // drops it and the next query opens a new one.
  pool.on("error", () => {});
  return new PrismaClient({ adapter: new PrismaPg(pool) });
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
