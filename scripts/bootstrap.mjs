// Entry point of `npm start` and `npm test` on any clone: installs dependencies when they are
// missing or older than package-lock.json, then hands over to the TypeScript script (via tsx).
// Plain JavaScript on purpose: it must run before anything is installed.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: node scripts/bootstrap.mjs <start|test> [args]");
  process.exit(2);
}

const installedMarker = join(root, "node_modules", ".package-lock.json");
const lockfile = join(root, "package-lock.json");
const stale =
  !existsSync(installedMarker) ||
  (existsSync(lockfile) && statSync(lockfile).mtimeMs > statSync(installedMarker).mtimeMs);
if (stale) {
  console.error("Installing dependencies (npm install)…");
  const install = spawnSync("npm", ["install", "--no-audit", "--no-fund"], {
    cwd: root,
    stdio: "inherit",
  });
  if (install.status !== 0) process.exit(install.status ?? 1);
}

const tsx = join(root, "node_modules", ".bin", "tsx");
const child = spawn(tsx, [join(root, "scripts", `${command}.ts`), ...args], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1" },
});
// The child handles Ctrl-C itself (it shares our terminal); we only pass on signals sent to us.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
