import { type Db, getDb } from "@lunar/db";

/**
 * The dashboard's own database, for the few tests that must put rows there that no API writes
 * (another component's output, such as the gateway's dead letters).
 */
export function e2eDb(): Db {
  const url = process.env.E2E_DATABASE_URL;
  if (!url)
    throw new Error("E2E_DATABASE_URL is not set: run the end-to-end tests through `npm test`");
  return getDb(url);
}
