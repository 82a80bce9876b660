// Node-only entry: migrations, databases, event ingest and flows (not for bundling into the web
// app). The embedded server lives in "@lunar/db/embedded": its package installs process-exit
// hooks on import, which a long-running service must not inherit.

export * from "../dead-letters/insert-dead-letters";
export * from "../events";
export * from "../flows/flow-versions";
export * from "../migrations/paths";
export * from "../migrations/read-migrations";
export * from "../migrations/run-migrations";
export * from "../notifications/channels";
export * from "./ensure-database";
export * from "./is-transient-error";
export * from "./with-transaction";
