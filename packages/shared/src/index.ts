export * from "./api/api-key-schemas";
export * from "./api/auth-schemas";
export * from "./api/live-schemas";
export * from "./api/problem";
export * from "./api-keys/api-key-format";
export * from "./errors/app-error";
export * from "./protocol";
export * from "./traffic";
