// Builds the installable agent into dist/: src/cli.ts and the workspace package @lunar/shared
// bundled into one ES module (dist/cli.js); every npm dependency stays external (declared in
// package.json "dependencies"), and preload.cjs, which spawned servers load by path, is copied
// beside it (child-environment.ts finds it relative to import.meta.url, from src/ or from dist/).
// Plain JavaScript so `npm pack` (prepack) needs nothing but esbuild.
import { copyFile, mkdir, readFile, rm } from "node:fs/promises";
import { build } from "esbuild";

const root = new URL("..", import.meta.url);
const dist = new URL("dist/", root);
const manifest = JSON.parse(await readFile(new URL("package.json", root), "utf8"));

/**
 * npm packages stay imports (installed beside the package); only workspace code (@lunar/*) is
 * bundled. An npm package missing from "dependencies" fails the build: it would be missing when
 * the package is installed.
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

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await build({
  entryPoints: [new URL("src/cli.ts", root).pathname],
  outfile: new URL("cli.js", dist).pathname,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  plugins: [externalNpmPackages(Object.keys(manifest.dependencies ?? {}))],
  legalComments: "none",
  logLevel: "warning",
});
await copyFile(new URL("src/interception/preload.cjs", root), new URL("preload.cjs", dist));
