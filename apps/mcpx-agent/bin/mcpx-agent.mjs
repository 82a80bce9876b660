#!/usr/bin/env node
// The agent is TypeScript consumed from source (like every package here); tsx compiles it on load.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
