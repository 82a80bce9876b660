export * from "./backoff";
