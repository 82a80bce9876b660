export * from "./create-test-database";
export * from "./create-test-pool";
