import { basename } from "node:path";
import type { TServerConfig } from "../config/mcp-config-schema";
import { isStdio } from "../config/mcp-config-schema";

const NPM_RUNNERS = new Set(["npx", "npm", "pnpm", "pnpx", "yarn", "bunx", "bun"]);
const PYTHON_RUNNERS = new Set(["uvx", "uv", "pipx"]);

/**
 * A server started through a package runner downloads itself on every start; blocking that
 * would stop it from ever running. These hosts are allowed for that server only, under a
 * built-in rule that events and `mcpx-agent status` show by name.
 */
export function registryAllowance(
  config: TServerConfig,
  env: NodeJS.ProcessEnv,
): Map<string, string> {
  const allow = new Map<string, string>();
  if (!isStdio(config)) return allow;
  const runner = basename(config.command).replace(/\.(cmd|exe)$/i, "");
  if (NPM_RUNNERS.has(runner)) {
    const registry =
      config.env.npm_config_registry ?? env.npm_config_registry ?? "https://registry.npmjs.org/";
    const host = safeHost(registry);
    if (host) allow.set(host, "builtin:package-registry(npm)");
  }
  if (PYTHON_RUNNERS.has(runner)) {
    allow.set("pypi.org", "builtin:package-registry(pypi)");
    allow.set("files.pythonhosted.org", "builtin:package-registry(pypi)");
  }
  return allow;
}

function safeHost(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}
