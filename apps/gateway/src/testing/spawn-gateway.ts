import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { GATEWAY_NODE_FLAGS } from "../node-flags";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The gateway as its own process (for SIGKILL and SIGTERM tests); resolves once it listens.
 * By default src/main.ts through tsx; `built` runs a build's main.js (scripts/build.mjs) with
 * plain node instead, tsx neither on the command line nor in NODE_OPTIONS.
 */
export async function spawnGateway(
  databaseUrl: string,
  port: number,
  options: { nodeArgs?: string[]; env?: Record<string, string>; built?: string } = {},
): Promise<ChildProcess> {
  // node itself (not the tsx wrapper, which would survive a SIGKILL of its own child).
  const entry = options.built ? [options.built] : ["--import", "tsx", MAIN];
  const args = [...GATEWAY_NODE_FLAGS, ...(options.nodeArgs ?? []), ...entry];
  const { NODE_OPTIONS, ...inherited } = process.env;
  const child = spawn(process.execPath, args, {
    env: {
      ...(options.built ? inherited : process.env),
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      LOG_LEVEL: "info",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("gateway listening")) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) =>
      reject(new Error(`gateway exited (${code}) before listening:\n${output}`)),
    );
  });
  return child;
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}
