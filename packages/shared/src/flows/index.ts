// The request-target parser is the flows engine's input, and the proxy's dialler: one export.
export * from "../url";
export * from "./compile-flows";
export type * from "./compiled-types";
export * from "./evaluate-request";
export * from "./evaluate-resolved";
export * from "./flow-decision";
export * from "./flow-types";
export * from "./flows-issue";
export * from "./limits";
export * from "./load-flows-document";
export * from "./parse-flows-yaml";
export * from "./url-pattern";
export * from "./validate-flows";
