import { type ChildProcess, spawn } from "node:child_process";
import { AGENT_NODE_FLAGS } from "../src/node-flags";

/**
 * Starts `mcpx-agent proxy` from `bin` as its own process, as squid is one (the load generator
 * and the upstreams must not share its event loop); resolves once it listens.
 */
export async function spawnProxy(
  bin: string,
  args: string[],
  options: { nodeArgs: string[]; stdout: boolean; stderr: boolean },
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [...AGENT_NODE_FLAGS, ...options.nodeArgs, bin, "proxy", "--log-level", "warn", ...args],
    { stdio: ["ignore", options.stdout ? "inherit" : "ignore", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      if (options.stderr) process.stderr.write(chunk);
      if (chunk.toString().includes("egress proxy on")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`proxy exited ${code}`)));
  });
  return child;
}

/** SIGTERM (so a profiled proxy writes its profile on the way out), SIGKILL after 5 s. */
export function stopProxy(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
