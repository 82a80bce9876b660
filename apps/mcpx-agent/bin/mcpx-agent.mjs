#!/usr/bin/env -S node --no-memory-reducer --max-semi-space-size=4
// The flags: src/node-flags.ts (why, and a test that keeps this line equal to it).
// The agent is TypeScript consumed from source (like every package here); tsx compiles it on load.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
