export * from "./agents";
export * from "./clamp-occurred-at";
export * from "./event-partitions";
export * from "./ingest-events";
