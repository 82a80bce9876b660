import { execFile } from "node:child_process";
import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../bin/mcpx-agent.mjs", import.meta.url));
const run = promisify(execFile);
const env = {
  ...process.env,
  LUNAR_GATEWAY_URL: "https://gateway.example.com",
  LUNAR_API_KEY: "lmcp_test_key",
};

describe("mcpx-agent init (real process, real files)", { timeout: 30_000 }, () => {
  it("merges its entry into an existing Claude Desktop config, keeping the others", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mcpx-init-"));
    const target = join(dir, "claude_desktop_config.json");
    await writeFile(
      target,
      JSON.stringify({ globalShortcut: "Ctrl+Space", mcpServers: { other: { command: "x" } } }),
      { mode: 0o644 },
    );
    const { stdout } = await run(
      process.execPath,
      [BIN, "init", "--client", "claude", "--config", "servers.json", "--client-config", target],
      { env, cwd: dir },
    );
    expect(stdout).toContain(`wrote "mcpx" to ${target}`);
    expect(JSON.parse(await readFile(target, "utf8"))).toEqual({
      globalShortcut: "Ctrl+Space",
      mcpServers: {
        other: { command: "x" },
        mcpx: {
          command: "npx",
          args: ["-y", "@lunar-mcpx/agent", "start", "--config", join(dir, "servers.json")],
          env: { LUNAR_GATEWAY_URL: "https://gateway.example.com", LUNAR_API_KEY: "lmcp_test_key" },
        },
      },
    });
    expect((await stat(target)).mode & 0o777).toBe(0o644);
  });

  it("creates a new Cursor config readable by its owner only", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mcpx-init-"));
    const target = join(dir, "nested", "mcp.json");
    await run(
      process.execPath,
      [BIN, "init", "--client", "cursor", "--config", "/a/mcp.json", "--client-config", target],
      { env },
    );
    const written = JSON.parse(await readFile(target, "utf8"));
    expect(written.mcpServers.mcpx.args).toEqual([
      "-y",
      "@lunar-mcpx/agent",
      "start",
      "--config",
      "/a/mcp.json",
    ]);
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  it("--print writes nothing; a broken file is left alone with exit code 2", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mcpx-init-"));
    const target = join(dir, "mcp.json");
    const { stdout } = await run(
      process.execPath,
      [
        BIN,
        "init",
        "--client",
        "vscode",
        "--config",
        "/a/mcp.json",
        "--client-config",
        target,
        "--print",
      ],
      { env },
    );
    expect(JSON.parse(stdout).servers.mcpx.type).toBe("stdio");
    await expect(stat(target)).rejects.toThrow(/ENOENT/);

    await writeFile(target, "{ broken");
    const failure = await run(
      process.execPath,
      [BIN, "init", "--client", "vscode", "--config", "/a/mcp.json", "--client-config", target],
      { env },
    ).catch((error: { code: number; stderr: string }) => error);
    expect((failure as { code: number }).code).toBe(2);
    expect((failure as { stderr: string }).stderr).toMatch(/is not valid JSON/);
    expect(await readFile(target, "utf8")).toBe("{ broken");
  });

  it("prints the package's version", async () => {
    const manifest = JSON.parse(
      await readFile(new URL("../../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    const { stdout } = await run(process.execPath, [BIN, "--version"]);
    expect(stdout.trim()).toBe(manifest.version);
  });
});
