#!/usr/bin/env -S node --no-memory-reducer --max-semi-space-size=4
// The flags: src/node-flags.ts (why, and a test that keeps this line equal to it).
// Installed from the package (`npx @lunar-mcpx/agent`), this runs the bundle in dist/ (plain
// JavaScript, scripts/build.mjs). In a clone of the repo, where src/ is present, it runs the
// TypeScript source through tsx instead, so tests and `npm start` never see a stale dist/.
import { existsSync } from "node:fs";

const source = new URL("../src/cli.ts", import.meta.url);
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(source.href);
} else {
  await import("../dist/cli.js");
}
