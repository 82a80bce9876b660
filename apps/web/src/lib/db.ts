import { getDb } from "@lunar/db";
import { env } from "@/env";

export function db() {
  return getDb(env().DATABASE_URL);
}
