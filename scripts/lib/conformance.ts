import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, run } from "./run";

/** The official MCP conformance suite; this version needs Node 22 or later. */
export const CONFORMANCE_VERSION = "0.1.16";
const AGENT = join(ROOT, "apps/mcpx-agent");

/**
 * The suite's CLI, installed from the npm registry into .cache/ on first use (not a workspace
 * devDependency: its engines say Node 22, and installs here run on Node 20's npm).
 */
export async function ensureConformance(): Promise<string> {
  const prefix = join(ROOT, ".cache", `conformance-${CONFORMANCE_VERSION}`);
  const cli = join(
    prefix,
    "node_modules",
    "@modelcontextprotocol",
    "conformance",
    "dist",
    "index.js",
  );
  if (existsSync(cli)) return cli;
  const code = await run("npm", [
    "install",
    "--prefix",
    prefix,
    "--no-save",
    "--no-package-lock",
    "--no-audit",
    "--no-fund",
    `@modelcontextprotocol/conformance@${CONFORMANCE_VERSION}`,
  ]);
  if (code !== 0 || !existsSync(cli))
    throw new Error(`could not install the conformance suite (npm exited ${code})`);
  return cli;
}

export interface SuiteResult {
  /** scenario → passed (no failed check) */
  scenarios: Map<string, boolean>;
  /** The suite's own last line, `Total: N passed, M failed`. */
  total: string;
  output: string;
}

/** Runs every server scenario of the suite against `url` with `node` (22 or later). */
export async function runSuite(node: string, cli: string, url: string): Promise<SuiteResult> {
  let output = "";
  const code = await run(node, [cli, "server", "--url", url, "--suite", "all"], {
    onOutput: (chunk) => {
      output += chunk.toString();
    },
  });
  const scenarios = new Map<string, boolean>();
  for (const match of output.matchAll(/^([✓✗]) ([\w-]+): (\d+) passed, (\d+) failed$/gmu))
    scenarios.set(match[2] as string, match[1] === "✓" && match[4] === "0");
  const total = /Total: \d+ passed, \d+ failed/.exec(output)?.[0];
  if (!total) throw new Error(`the conformance suite printed no total (exit code ${code})`);
  return { scenarios, total, output };
}

/** Starts `command` and resolves with the first stdout/stderr line `pick` finds a value in. */
export function startAndRead(
  command: string,
  args: string[],
  pick: (line: string) => string | undefined,
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; value: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: AGENT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buffered = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${args.join(" ")} did not start within 60 s:\n${buffered}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split("\n")) {
        const value = pick(line);
        if (value === undefined) continue;
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        child.stderr?.off("data", onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({ child, value });
        return;
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(" ")} exited ${code}:\n${buffered}`));
    });
  });
}

/** The reference server (apps/mcpx-agent/src/testing/reference-server.ts) on a free port. */
export function startReferenceServer(): Promise<{ child: ChildProcess; value: string }> {
  return startAndRead(
    process.execPath,
    ["--import", "tsx", "src/testing/reference-main.ts", "0"],
    (line) => /^http:\/\/127\.0\.0\.1:\d+\/mcp$/.exec(line.trim())?.[0],
  );
}

/** `mcpx-agent start --http 0` with the reference server behind it, unprefixed. */
export async function startAgentInFront(
  referenceUrl: string,
): Promise<{ child: ChildProcess; value: string }> {
  const dir = await mkdtemp(join(tmpdir(), "mcpx-conformance-"));
  const config = join(dir, "mcp.json");
  await writeFile(
    config,
    JSON.stringify({ mcpServers: { everything: { url: referenceUrl, prefix: false } } }),
  );
  return startAndRead(
    process.execPath,
    [
      "bin/mcpx-agent.mjs",
      "start",
      "--config",
      config,
      "--http",
      "0",
      "--state-dir",
      join(dir, "state"),
      "--log-level",
      "info",
    ],
    (line) => {
      if (!line.includes("MCP over Streamable HTTP")) return undefined;
      return /"url":"(http:\/\/127\.0\.0\.1:\d+\/mcp)"/.exec(line)?.[1];
    },
    { LUNAR_GATEWAY_URL: "", LUNAR_API_KEY: "" },
  );
}
