// The agent as users get it: `npm pack` of apps/mcpx-agent, installed from the tarball into an
// empty folder with a given Node (npm's own JavaScript run by that node, its bin first on PATH),
// then run from there through npx: --version, check, proxy (one request through it to a local
// stand-in) and start (a published MCP server behind it, a tool called through it, the call
// reported to a real gateway). All traffic stays on 127.0.0.1.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createDb } from "@lunar/db";
import { createTestDatabase, createTestPool } from "@lunar/db/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { seedOrgWithKey } from "../../apps/gateway/src/testing/seed";
import { startTestGateway } from "../../apps/gateway/src/testing/test-gateway";
import { ROOT, run } from "./run";

const AGENT_DIR = join(ROOT, "apps", "mcpx-agent");
const NPM_BIN = join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "bin");
const EVERYTHING_SERVER = join(
  ROOT,
  "node_modules",
  "@modelcontextprotocol",
  "server-everything",
  "dist",
  "index.js",
);
const FLOWS = `BlockBadActor:
  processor: Filter
  parameters:
    - { key: action, value: deny }
    - { key: urls, value: [api.badactor.com/*] }
`;

const log = (message: string) => process.stderr.write(`[agent package] ${message}\n`);

function expectThat(condition: boolean, what: string): void {
  if (!condition) throw new Error(`agent package: ${what}`);
  log(`ok: ${what}`);
}

/** `npm pack` of the agent (its prepack builds dist/); the tarball's path. */
export async function packAgent(into: string): Promise<string> {
  const code = await run("npm", ["pack", "--pack-destination", into, "--silent"], {
    cwd: AGENT_DIR,
  });
  if (code !== 0) throw new Error(`npm pack exited ${code}`);
  const manifest = JSON.parse(await readFile(join(AGENT_DIR, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
  return join(into, `${manifest.name.replace("@", "").replace("/", "-")}-${manifest.version}.tgz`);
}

/** Runs a command to completion, collecting its output. */
function capture(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** A GET through an HTTP proxy (absolute-form target); status and body. */
function getThroughProxy(
  proxyPort: number,
  url: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request(
      { host: "127.0.0.1", port: proxyPort, path: url, headers: { host: target.host } },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function startStandIn(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer((req, res) => res.end(`stand-in saw ${req.method} ${req.url}`));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Resolves with the proxy's port once it says where it listens; rejects if it exits first. */
function proxyListening(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /egress proxy on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`proxy exited (${code}):\n${output}`)));
  });
}

/**
 * Installs `tarball` into an empty folder with the Node in `nodeBin` and runs the agent from
 * there. Throws on the first thing that does not hold.
 */
export async function checkInstalledAgent(tarball: string, nodeBin: string): Promise<void> {
  const node = join(nodeBin, "node");
  const folder = await mkdtemp(join(tmpdir(), "mcpx-agent-install-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${nodeBin}:${process.env.PATH ?? ""}`,
    NPM_CONFIG_UPDATE_NOTIFIER: "false",
    LUNAR_GATEWAY_URL: "",
    LUNAR_API_KEY: "",
  };
  const npx = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    capture(node, [join(NPM_BIN, "npx-cli.js"), "--no-install", ...args], {
      cwd: folder,
      env: { ...env, ...extraEnv },
    });
  try {
    await writeFile(join(folder, "package.json"), '{ "private": true }\n');
    const installed = await capture(
      node,
      [join(NPM_BIN, "npm-cli.js"), "install", "--no-audit", "--no-fund", tarball],
      { cwd: folder, env },
    );
    expectThat(
      installed.code === 0,
      `npm install of the tarball${installed.code === 0 ? "" : `: ${installed.stderr.trim()}`}`,
    );
    const manifest = JSON.parse(
      await readFile(join(folder, "node_modules", "@lunar-mcpx", "agent", "package.json"), "utf8"),
    ) as { name: string; version: string };
    expectThat(
      !existsSync(join(folder, "node_modules", "tsx")),
      "tsx is not installed with the package",
    );

    const version = await npx([manifest.name, "--version"]);
    expectThat(version.stdout.trim() === manifest.version, `--version prints ${manifest.version}`);

    await writeFile(join(folder, "flows.yaml"), FLOWS);
    const blocked = await npx([
      manifest.name,
      "check",
      "--flows",
      "flows.yaml",
      "https://api.badactor.com/x",
    ]);
    const allowed = await npx([
      manifest.name,
      "check",
      "--flows",
      "flows.yaml",
      "https://api.example.com/x",
    ]);
    expectThat(
      blocked.code === 1 && /^blocked/.test(blocked.stdout) && allowed.code === 0,
      "check blocks api.badactor.com and allows api.example.com",
    );

    await checkProxy(node, folder, env, manifest.name);
    await checkStart(node, folder, env, manifest.name);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function checkProxy(node: string, folder: string, env: NodeJS.ProcessEnv, name: string) {
  const standIn = await startStandIn();
  // Its own process group, so stopping it reaches the agent under npx's shell too.
  const proxy = spawn(
    node,
    [
      join(NPM_BIN, "npx-cli.js"),
      "--no-install",
      name,
      "proxy",
      "--flows",
      "flows.yaml",
      "--port",
      "0",
      "--resolve",
      `api.example.com=127.0.0.1:${standIn.port}`,
      "--resolve",
      `api.badactor.com=127.0.0.1:${standIn.port}`,
    ],
    { cwd: folder, env, stdio: ["ignore", "ignore", "pipe"], detached: true },
  );
  const exited = new Promise((resolve) => proxy.once("exit", resolve));
  try {
    const port = await proxyListening(proxy);
    const through = await getThroughProxy(port, "http://api.example.com/hello?x=1");
    expectThat(
      through.status === 200 && through.body === "stand-in saw GET /hello?x=1",
      "proxy relays an allowed request to the local stand-in",
    );
    const refused = await getThroughProxy(port, "http://api.badactor.com/steal");
    expectThat(refused.status === 403, "proxy answers a blocked request with 403");
  } finally {
    if (proxy.pid !== undefined && proxy.exitCode === null) process.kill(-proxy.pid, "SIGTERM");
    await exited;
    await standIn.close();
  }
}

async function checkStart(node: string, folder: string, env: NodeJS.ProcessEnv, name: string) {
  // A fresh database on the server in DATABASE_URL, migrated, as the gateway's tests use.
  const database = await createTestDatabase();
  const db = createDb(database.url);
  const pool = createTestPool(database.url);
  const gateway = await startTestGateway(database.url);
  const client = new Client({ name: "agent-package-check", version: "1" });
  try {
    const org = await seedOrgWithKey(db, "agent-package");
    await writeFile(
      join(folder, "mcp.json"),
      JSON.stringify({
        mcpServers: { everything: { command: node, args: [EVERYTHING_SERVER, "stdio"] } },
      }),
    );
    await client.connect(
      new StdioClientTransport({
        command: node,
        args: [
          join(NPM_BIN, "npx-cli.js"),
          "--no-install",
          name,
          "start",
          "--config",
          "mcp.json",
          "--state-dir",
          join(folder, "state"),
        ],
        cwd: folder,
        env: {
          ...(env as Record<string, string>),
          LUNAR_GATEWAY_URL: `http://127.0.0.1:${gateway.port}`,
          LUNAR_API_KEY: org.apiKey,
        },
        stderr: "ignore",
      }),
    );
    // tools/list waits for a starting server, so the first answer already has its tools.
    const tools = (await client.listTools()).tools.map((tool) => tool.name);
    expectThat(tools.includes("everything__echo"), "start lists the published server's tools");
    const result = (await client.callTool({
      name: "everything__echo",
      arguments: { message: "through the installed agent" },
    })) as { content: { text?: string }[] };
    expectThat(
      (result.content[0]?.text ?? "").includes("through the installed agent"),
      "a tool call goes through the installed agent",
    );
    const deadline = Date.now() + 20_000;
    let reported = 0;
    while (reported === 0 && Date.now() < deadline) {
      // The gateway stores the event on its own schedule: no signal reaches us, so poll the row.
      const { rows } = await pool.query(
        "SELECT 1 FROM events WHERE org_id = $1 AND kind = 'tool_call' AND server = 'everything'",
        [org.orgId],
      );
      reported = rows.length;
      if (reported === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expectThat(reported > 0, "the tool call is reported to the gateway and stored");
  } finally {
    await client.close();
    await gateway.close();
    await pool.end();
    await db.$disconnect();
    await database.drop();
  }
}
