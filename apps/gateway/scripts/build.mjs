// Builds the gateway into dist/ (or the directory given as the first argument): src/main.ts and
// the workspace packages @lunar/shared and @lunar/db bundled into one ES module (main.js); every
// npm dependency stays external (declared in package.json "dependencies", resolved from
// node_modules at run time). The same approach as apps/mcpx-agent/scripts/build.mjs.
//
// Nothing needs copying beside main.js: the generated Prisma client (packages/db/src/generated,
// run `npm run generate` first) is plain TypeScript that imports its query compiler and the
// compiler's wasm (as base64) from @prisma/client/runtime, an external package; and the
// migrations SQL that @lunar/db reads by path (packages/db/src/migrations/paths.ts) is used only
// by `npm run db:migrate`, never by the gateway (paths.ts computes the path at load, unread).
// Plain JavaScript so the image build needs nothing but esbuild.
import { mkdir, readFile, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = new URL("..", import.meta.url);
const outdir = process.argv[2] ? resolve(process.argv[2]) : fileURLToPath(new URL("dist/", root));
const manifest = JSON.parse(await readFile(new URL("package.json", root), "utf8"));

/**
 * npm packages stay imports (installed beside the app); only workspace code (@lunar/*) is
 * bundled. An npm package missing from "dependencies" fails the build: it would be missing from
 * an install of the gateway's dependencies alone.
 */
function externalNpmPackages(declared) {
  return {
    name: "external-npm-packages",
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("node:") || args.path.startsWith("@lunar/")) return undefined;
        const parts = args.path.split("/");
        const name = args.path.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
        if (!declared.includes(name))
          return { errors: [{ text: `${name} is imported but not in package.json dependencies` }] };
        return { path: args.path, external: true };
      });
    },
  };
}

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await build({
  entryPoints: [fileURLToPath(new URL("src/main.ts", root))],
  outfile: resolve(outdir, "main.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  plugins: [externalNpmPackages(Object.keys(manifest.dependencies ?? {}))],
  legalComments: "none",
  logLevel: "warning",
});
