// Builds the gateway into dist/ (or the directory given as the first argument): src/main.ts and
// the workspace packages @lunar/shared and @lunar/db bundled into one ES module (main.js); every
// npm dependency stays external (declared in package.json "dependencies", resolved from
// node_modules at run time), by scripts/lib/bundle-app.mjs, as the agent's package is.
//
// Nothing needs copying beside main.js: the generated Prisma client (packages/db/src/generated,
// run `npm run generate` first) is plain TypeScript that imports its query compiler and the
// compiler's wasm (as base64) from @prisma/client/runtime, an external package; and the
// migrations SQL that @lunar/db reads by path (packages/db/src/migrations/paths.ts) is used only
// by `npm run db:migrate`, never by the gateway (paths.ts computes the path at load, unread).
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleApp } from "../../../scripts/lib/bundle-app.mjs";

const root = new URL("..", import.meta.url);
const outdir = process.argv[2] ? resolve(process.argv[2]) : fileURLToPath(new URL("dist/", root));
await bundleApp({
  manifestPath: fileURLToPath(new URL("package.json", root)),
  entry: fileURLToPath(new URL("src/main.ts", root)),
  outfile: resolve(outdir, "main.js"),
  cleanDir: outdir,
});
