export * from "./storable-event";
export * from "./storable-text";
