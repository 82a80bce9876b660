import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_NODE_FLAGS } from "../node-flags";
import { writeConfig } from "../testing/fixture-config";

// The way Claude Desktop runs it: `mcpx-agent start` as a process, MCP on its stdin/stdout, the
// reference server spawned over stdio behind it, starting slowly.
const BIN = fileURLToPath(new URL("../../bin/mcpx-agent.mjs", import.meta.url));
const REFERENCE = fileURLToPath(new URL("../testing/reference-stdio.ts", import.meta.url));

describe("the stdio front, as a process", { timeout: 60_000 }, () => {
  let client: Client;
  beforeAll(async () => {
    const config = await writeConfig({
      ref: {
        command: process.execPath,
        args: ["--import", "tsx", REFERENCE, "--extras", "--start-delay-ms", "1000"],
      },
    });
    const stateDir = await mkdtemp(join(tmpdir(), "mcpx-stdio-fidelity-"));
    client = new Client({ name: "stdio-fidelity", version: "1" });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [...AGENT_NODE_FLAGS, BIN, "start", "--config", config, "--state-dir", stateDir],
        env: {
          ...(process.env as Record<string, string>),
          LUNAR_GATEWAY_URL: "",
          LUNAR_API_KEY: "",
        },
        stderr: "ignore",
      }),
    );
  });
  afterAll(async () => {
    await client?.close();
  });

  it("a first call made while the server starts waits for it; a call longer than the client's timeout succeeds on progress", async () => {
    // No tools/list first: the call goes out right after initialize, the server still starting.
    const first = await client.callTool({ name: "ref__test_simple_text", arguments: {} });
    expect(first).toMatchObject({
      content: [{ type: "text", text: "This is a simple text response for testing." }],
    });
    let progressCount = 0;
    const result = await client.callTool(
      { name: "ref__slow_progress", arguments: { durationMs: 4_000, intervalMs: 400 } },
      CallToolResultSchema,
      {
        timeout: 2_000,
        resetTimeoutOnProgress: true,
        onprogress: () => {
          progressCount++;
        },
      },
    );
    expect(result.content).toEqual([{ type: "text", text: "done after 10 steps" }]);
    expect(progressCount).toBeGreaterThanOrEqual(9);
  });
});
