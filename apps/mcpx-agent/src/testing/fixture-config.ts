import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURE_SERVER = fileURLToPath(new URL("./fixture-stdio.ts", import.meta.url));

/** A stdio entry that runs the fixture server under tsx. */
export function stdioFixture(name: string, extraArgs: string[] = []) {
  return {
    command: process.execPath,
    args: ["--import", "tsx", FIXTURE_SERVER, name, ...extraArgs],
  };
}

/** Writes an mcp.json into a fresh directory and returns its path. */
export async function writeConfig(servers: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "mcpx-config-"));
  const path = join(dir, "mcp.json");
  await writeFile(path, JSON.stringify({ mcpServers: servers }, null, 2));
  return path;
}
