export * from "./endpoint-template";
export * from "./latency-histogram";
export * from "./provider-domain";
