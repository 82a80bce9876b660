export * from "./create-test-database";
