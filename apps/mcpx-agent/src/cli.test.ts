import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createDb, type Db } from "@lunar/db";
import { createTestDatabase, createTestPool, type TestDatabase } from "@lunar/db/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "../../gateway/src/server";
import { seedOrgWithKey } from "../../gateway/src/testing/seed";
import { freePort } from "../../gateway/src/testing/spawn-gateway";
import { startTestGateway } from "../../gateway/src/testing/test-gateway";
import { eventually } from "./reporter/testing/wait-for";

/** Until `check` holds (servers connecting, rows landing: state that sends us no signal). */
async function until(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  await eventually(check, (ok) => ok, what, timeoutMs);
}

import { stdioFixture, writeConfig } from "./testing/fixture-config";
import { startHttpFixture } from "./testing/http-fixture";

function rawPost(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: "127.0.0.1",
        port,
        path: "/mcp",
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on("error", reject);
    request.end("{}");
  });
}

const BIN = fileURLToPath(new URL("../bin/mcpx-agent.mjs", import.meta.url));
const run = promisify(execFile);

function textOf(result: unknown): string {
  return ((result as { content: { text: string }[] }).content[0] as { text: string }).text;
}

describe("mcpx-agent start (real process, real MCP clients, real gateway)", {
  timeout: 90_000,
}, () => {
  let database: TestDatabase;
  let db: Db;
  let pool: pg.Pool;
  let gateway: RunningGateway;
  let remote: Awaited<ReturnType<typeof startHttpFixture>>;
  let configPath: string;
  let org: Awaited<ReturnType<typeof seedOrgWithKey>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
    pool = createTestPool(database.url);
    org = await seedOrgWithKey(db, "cli");
    gateway = await startTestGateway(database.url);
    remote = await startHttpFixture("remote");
    configPath = await writeConfig({
      alpha: stdioFixture("alpha"),
      beta: stdioFixture("beta"),
      remote: { url: remote.url },
    });
  });
  afterAll(async () => {
    await remote?.close();
    await gateway?.close();
    await pool?.end();
    await db?.$disconnect();
    await database?.drop();
  });

  async function agentEnv(stateDir: string) {
    return {
      ...process.env,
      LUNAR_GATEWAY_URL: `http://127.0.0.1:${gateway.port}`,
      LUNAR_API_KEY: org.apiKey,
      MCPX_TEST_STATE: stateDir,
    } as Record<string, string>;
  }

  async function expectThreeServers(client: Client) {
    const names = (await client.listTools()).tools.map((t) => t.name);
    for (const server of ["alpha", "beta", "remote"]) expect(names).toContain(`${server}__echo`);
    for (const server of ["alpha", "beta", "remote"]) {
      expect(
        textOf(await client.callTool({ name: `${server}__echo`, arguments: { text: "hey" } })),
      ).toBe(`${server}:hey`);
    }
  }

  async function storedToolCalls(servers: string[]) {
    const { rows } = await pool.query<{ server: string }>(
      "SELECT server FROM events WHERE org_id = $1 AND kind = 'tool_call' AND server = ANY($2)",
      [org.orgId, servers],
    );
    return rows.map((row) => row.server).sort();
  }

  it("over stdio: lists and calls the tools of three servers, and reports the calls to the gateway", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "mcpx-cli-"));
    const client = new Client({ name: "stdio-test", version: "1" });
    // The agent takes a moment to connect its servers; list until all three are there.
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [
          BIN,
          "start",
          "--config",
          configPath,
          "--state-dir",
          stateDir,
          "--name",
          "stdio-agent",
        ],
        env: await agentEnv(stateDir),
        stderr: "ignore",
      }),
    );
    await until(async () => (await client.listTools()).tools.length >= 12, "the agent", 30_000);
    await expectThreeServers(client);
    await until(
      async () => (await storedToolCalls(["alpha", "beta", "remote"])).length >= 3,
      "the agent",
      20_000,
    );
    const { rows } = await pool.query("SELECT name FROM agents WHERE org_id = $1", [org.orgId]);
    expect(rows.map((r) => r.name)).toContain("stdio-agent");

    // The status file is rewritten every 2 s and on every server change.
    const statusText = async () =>
      (await run(process.execPath, [BIN, "status", "--state-dir", stateDir])).stdout;
    await until(
      async () => /gateway\s+connected/.test(await statusText()),
      "status to show the gateway",
      10_000,
    );
    const status = { stdout: await statusText() };
    expect(status.stdout).toMatch(/running \(pid \d+\)/);
    expect(status.stdout).toMatch(/gateway\s+connected/);
    expect(status.stdout).toMatch(/alpha\s+ready/);
    await client.close();
  });

  it("over Streamable HTTP (--http): the same three servers, and a wrong Host is refused", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "mcpx-cli-"));
    const port = await freePort();
    const { spawn } = await import("node:child_process");
    const child = spawn(
      process.execPath,
      [BIN, "start", "--config", configPath, "--http", String(port), "--state-dir", stateDir],
      {
        env: await agentEnv(stateDir),
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    try {
      await until(
        async () => (await fetch(`http://127.0.0.1:${port}/mcp`).catch(() => null)) !== null,
        "the HTTP front end",
      );
      const client = new Client({ name: "http-test", version: "1" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)),
      );
      await until(async () => (await client.listTools()).tools.length >= 12, "the agent", 30_000);
      await expectThreeServers(client);
      await client.close();

      // fetch cannot forge Host; a raw request can, as a DNS-rebinding page effectively does.
      const rebinding = await rawPost(port, { host: `attacker.example:${port}` });
      expect(rebinding).toBe(403);
      const crossOrigin = await fetch(`http://127.0.0.1:${port}/mcp`, {
        method: "POST",
        headers: { origin: "https://evil.example", "content-type": "application/json" },
        body: "{}",
      });
      expect(crossOrigin.status).toBe(403);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("rejects a bad config with an error naming the server and field, and exit code 2", async () => {
    const bad = await writeConfig({
      slack: { command: "x", env: { TOKEN: "${NOT_SET_ANYWHERE}" } },
    });
    const failure = await run(
      process.execPath,
      [BIN, "start", "--config", bad, "--state-dir", await mkdtemp(join(tmpdir(), "mcpx-"))],
      {
        env: { ...process.env, LUNAR_GATEWAY_URL: "", LUNAR_API_KEY: "" },
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect((failure as { code: number }).code).toBe(2);
    expect((failure as { stderr: string }).stderr).toMatch(/server "slack", field "env.TOKEN"/);
  });

  it("has --help for every command", async () => {
    for (const args of [["--help"], ["start", "--help"], ["status", "--help"]]) {
      const { stdout } = await run(process.execPath, [BIN, ...args]);
      expect(stdout).toMatch(/Usage: mcpx-agent/);
    }
  });
});
