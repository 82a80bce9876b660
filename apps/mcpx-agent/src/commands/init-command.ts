import { chmod, mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Command } from "commander";
import {
  agentEntry,
  ClientConfigError,
  defaultClientConfigPath,
  mergeClientConfig,
  ZMcpClient,
} from "../init/client-config";
import { PACKAGE_INFO } from "../package-info";

interface InitFlags {
  client: string;
  config: string;
  clientConfig?: string;
  name: string;
  gatewayUrl?: string;
  print?: boolean;
}

const KEY_PLACEHOLDER = "<your API key>";

/**
 * `mcpx-agent init --client claude|cursor|vscode --config mcp.json`: adds (or replaces) one entry
 * in the MCP client's config that runs this package through npx, with LUNAR_GATEWAY_URL and
 * LUNAR_API_KEY (taken from the environment, never from a flag) in its env block.
 */
export function registerInit(program: Command): void {
  program
    .command("init")
    .description(
      "Add the agent to Claude Desktop's, Cursor's or VS Code's MCP config (other entries are kept)",
    )
    .requiredOption("--client <client>", "claude | cursor | vscode")
    .requiredOption(
      "--config <file>",
      "the agent's servers file (mcp.json) the entry starts it with",
    )
    .option(
      "--client-config <file>",
      "the client's config file (default: where the client reads it)",
    )
    .option("--name <name>", "the entry's name in the client's config", "mcpx")
    .option("--gateway-url <url>", "the gateway (default: LUNAR_GATEWAY_URL)")
    .option("--print", "print the merged config instead of writing it")
    .action(async (flags: InitFlags) => {
      const client = ZMcpClient.safeParse(flags.client);
      if (!client.success) fail(`--client must be claude, cursor or vscode, not "${flags.client}"`);
      const gatewayUrl = flags.gatewayUrl ?? process.env.LUNAR_GATEWAY_URL ?? "";
      const apiKey = process.env.LUNAR_API_KEY || KEY_PLACEHOLDER;
      const target = flags.clientConfig ?? defaultClientConfigPath(client.data);
      const entry = agentEntry({
        client: client.data,
        packageName: PACKAGE_INFO.name,
        serversConfig: flags.config,
        gatewayUrl,
        apiKey,
      });
      const existing = await readFile(target, "utf8").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return null;
        throw error;
      });
      let merged: Record<string, unknown>;
      try {
        merged = mergeClientConfig(existing, client.data, flags.name, entry);
      } catch (error) {
        if (!(error instanceof ClientConfigError)) throw error;
        fail(`${target} ${error.message}`);
      }
      const text = `${JSON.stringify(merged, null, 2)}\n`;
      if (flags.print) {
        process.stdout.write(text);
        return;
      }
      await writeConfigFile(target, text);
      process.stdout.write(`wrote "${flags.name}" to ${target}\n`);
      if (apiKey === KEY_PLACEHOLDER || gatewayUrl === "")
        process.stderr.write(
          "mcpx-agent: LUNAR_API_KEY or LUNAR_GATEWAY_URL was not set: fill them in the entry's env\n",
        );
    });
}

function fail(message: string): never {
  process.stderr.write(`mcpx-agent: ${message}\n`);
  process.exit(2);
}

/** Replaces the file in one rename; a new file is readable by its owner only (it holds a key). */
async function writeConfigFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const mode = await stat(path).then(
    (info) => info.mode & 0o777,
    () => 0o600,
  );
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode });
  await chmod(temporary, mode);
  await rename(temporary, path);
}
