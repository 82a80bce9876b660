import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

// The proxy uses documented Node APIs only (it must run under the permission model, and survive
// Node upgrades): none of Node's bindings, libuv handles or private stream state in its code.
const INTERNALS = [
  /process\.binding\b/,
  /internalBinding\b/,
  /\b_handle\b/,
  /\bonread\b/,
  /\buseUserBuffer\b/,
  /\bwriteBuffer\b/,
  /\b_(readable|writable)State\b/,
];

it("the egress proxy's code reaches no Node internals", async () => {
  const root = fileURLToPath(new URL(".", import.meta.url));
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const sources = entries
    .filter((entry) => entry.isFile() && /\.(ts|js|cjs|mjs)$/.test(entry.name))
    .filter((entry) => !entry.name.endsWith(".test.ts"))
    .map((entry) => join(entry.parentPath, entry.name));
  expect(sources.length).toBeGreaterThan(10);
  const found: string[] = [];
  for (const file of sources) {
    const text = await readFile(file, "utf8");
    for (const pattern of INTERNALS) if (pattern.test(text)) found.push(`${file}: ${pattern}`);
  }
  expect(found).toEqual([]);
});
