// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded server.
import { prepareDatabase } from "../postgres/prepare-database";

const prepared = await prepareDatabase({
  databaseUrl: process.env.DATABASE_URL || undefined,
  log: (message) => process.stderr.write(`${message}\n`),
});
process.stderr.write("database is up to date\n");
await prepared.embedded?.stop();
