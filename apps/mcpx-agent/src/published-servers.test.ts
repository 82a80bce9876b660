import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

// A client and servers nobody here wrote: the MCP Inspector's CLI talks to the agent over stdio,
// and the agent runs the published `server-everything` and `server-filesystem` behind it.
const run = promisify(execFile);
const require = createRequire(import.meta.url);
const BIN = fileURLToPath(new URL("../bin/mcpx-agent.mjs", import.meta.url));
// The Inspector's CLI package itself (the copy inside `@modelcontextprotocol/inspector` imports
// `commander` without declaring it, and so breaks whenever no commander is hoisted).
const INSPECTOR = join(
  dirname(require.resolve("@modelcontextprotocol/inspector-cli/package.json")),
  "build/cli.js",
);
const EVERYTHING = require.resolve("@modelcontextprotocol/server-everything/dist/index.js");
const FILESYSTEM = require.resolve("@modelcontextprotocol/server-filesystem/dist/index.js");

describe("published client and servers through the agent", { timeout: 120_000 }, () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mcpx-published-"));
    await writeFile(join(dir, "note.txt"), "hello from a file\n");
    await writeFile(
      join(dir, "mcp.json"),
      JSON.stringify({
        mcpServers: {
          everything: { command: process.execPath, args: [EVERYTHING] },
          files: { command: process.execPath, args: [FILESYSTEM, dir] },
        },
      }),
    );
  });

  // `-c` rather than `--config`: the Inspector claims `--config` for itself.
  async function inspector(...method: string[]): Promise<unknown> {
    const agent = [BIN, "start", "-c", join(dir, "mcp.json"), "--state-dir", join(dir, "state")];
    const { stdout } = await run(
      process.execPath,
      [INSPECTOR, "--cli", process.execPath, ...agent, ...method],
      {
        env: { ...process.env, LUNAR_GATEWAY_URL: "", LUNAR_API_KEY: "" },
      },
    );
    return JSON.parse(stdout);
  }

  it("the Inspector lists both servers' tools, namespaced", async () => {
    const { tools } = (await inspector("--method", "tools/list")) as { tools: { name: string }[] };
    const names = tools.map((tool) => tool.name);
    expect(names).toContain("everything__echo");
    expect(names).toContain("files__read_text_file");
    expect(names.every((name) => /^[A-Za-z0-9_-]{1,64}$/.test(name))).toBe(true);
  });

  it("the Inspector calls server-everything's echo through the agent", async () => {
    const result = (await inspector(
      "--method",
      "tools/call",
      "--tool-name",
      "everything__echo",
      "--tool-arg",
      "message=hi",
    )) as {
      content: { text: string }[];
    };
    expect(result.content[0]?.text).toBe("Echo: hi");
  });

  it("the Inspector reads a file through server-filesystem behind the agent", async () => {
    const result = (await inspector(
      "--method",
      "tools/call",
      "--tool-name",
      "files__read_text_file",
      "--tool-arg",
      `path=${join(dir, "note.txt")}`,
    )) as { content: { text: string }[] };
    expect(result.content[0]?.text).toBe("hello from a file\n");
  });
});
