export * from "../reporter/event-sink";
export * from "./create-reporting";
export * from "./event-spool";
export * from "./gateway-config";
export * from "./gateway-reporter";
export * from "./local-event-log";
