// Node-only entry: server lifecycle and migrations (not for bundling into the web app).

export * from "../events";
export * from "../migrations/paths";
export * from "../migrations/read-migrations";
export * from "../migrations/run-migrations";
export * from "./embedded-postgres";
export * from "./ensure-database";
export * from "./prepare-database";
export * from "../flows/flow-versions";
