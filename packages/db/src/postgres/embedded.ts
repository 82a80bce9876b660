// "@lunar/db/embedded": the embedded PostgreSQL for `npm start`, `npm test` and the migrate CLI.
export * from "./embedded-postgres";
export * from "./prepare-database";
