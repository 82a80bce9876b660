// One way to build an app of this repo to plain JavaScript (the agent's package, the gateway's
// image): its entry and the workspace packages (@lunar/*) bundled into one ES module, every npm
// dependency left as an import, resolved from node_modules at run time. Plain JavaScript so a
// build needs nothing but esbuild.
import { mkdir, readFile, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { build } from "esbuild";

/**
 * npm packages stay imports; only workspace code is bundled. An npm package missing from the
 * app's "dependencies" fails the build: it would be missing from an install of the app alone.
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

/**
 * Bundles `entry` (a path) of the app whose package.json is `manifestPath` into `outfile`, after
 * emptying `cleanDir` (the output folder).
 */
export async function bundleApp({ manifestPath, entry, outfile, cleanDir }) {
  const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
  await rm(cleanDir, { recursive: true, force: true });
  await mkdir(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    plugins: [externalNpmPackages(Object.keys(manifest.dependencies ?? {}))],
    legalComments: "none",
    logLevel: "warning",
  });
}
