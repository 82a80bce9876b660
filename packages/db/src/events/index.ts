export * from "./agents";
export * from "./clamp-occurred-at";
export * from "./compact-rollups";
export * from "./event-partitions";
export * from "./ingest-events";
export * from "./rollup-hours";
