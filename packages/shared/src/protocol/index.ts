export * from "./close-codes";
export * from "./event-id";
export * from "./events";
export * from "./frames";
export * from "./gateway-url";
export * from "./limits";
