// Builds the installable agent into dist/: src/cli.ts and the workspace package @lunar/shared
// bundled into one ES module (dist/cli.js) by scripts/lib/bundle-app.mjs; every npm dependency
// stays external (declared in package.json "dependencies"), and preload.cjs, which spawned
// servers load by path, is copied beside it (child-environment.ts finds it relative to import.meta.url, from src/ or from dist/).
import { copyFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { bundleApp } from "../../../scripts/lib/bundle-app.mjs";

const root = new URL("..", import.meta.url);
const dist = new URL("dist/", root);
await bundleApp({
  manifestPath: fileURLToPath(new URL("package.json", root)),
  entry: fileURLToPath(new URL("src/cli.ts", root)),
  outfile: fileURLToPath(new URL("cli.js", dist)),
  cleanDir: fileURLToPath(dist),
});
await copyFile(new URL("src/interception/preload.cjs", root), new URL("preload.cjs", dist));
