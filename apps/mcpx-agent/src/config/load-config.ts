import { readFile } from "node:fs/promises";
import { expandEnv, MissingVariableError } from "./expand-env";
import { SERVER_NAME, type TServerConfig, ZMcpConfig, ZServerConfig } from "./mcp-config-schema";

/** A config the agent refuses, with the server and field it is about. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export type ServerConfigs = Map<string, TServerConfig>;

export async function loadConfigFile(path: string, env: NodeJS.ProcessEnv): Promise<ServerConfigs> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  return parseConfig(text, env, path);
}

export function parseConfig(
  text: string,
  env: NodeJS.ProcessEnv,
  source = "config",
): ServerConfigs {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const top = ZMcpConfig.safeParse(json);
  if (!top.success) {
    const issue = top.error.issues[0];
    const where = issue?.path.length ? `mcpServers.${issue.path.slice(1).join(".")}` : "mcpServers";
    throw new ConfigError(`${source}: ${where}: ${issue?.message ?? "invalid"}`);
  }
  const servers: ServerConfigs = new Map();
  for (const [name, raw] of Object.entries(top.data.mcpServers)) {
    if (!SERVER_NAME.test(name)) {
      throw new ConfigError(
        `${source}: server ${JSON.stringify(name)}: server names are 1–48 letters, digits, '_', '-' or '.', starting with a letter or digit`,
      );
    }
    let expanded: unknown;
    try {
      expanded = expandEnv(raw, env);
    } catch (error) {
      if (error instanceof MissingVariableError) {
        const field = (error as MissingVariableError & { path: string[] }).path.join(".");
        throw new ConfigError(`${source}: server "${name}", field "${field}": ${error.message}`);
      }
      throw error;
    }
    const parsed = ZServerConfig.safeParse(expanded);
    if (!parsed.success)
      throw new ConfigError(
        `${source}: server "${name}": ${describeIssue(expanded, parsed.error)}`,
      );
    if (!parsed.data.disabled) servers.set(name, parsed.data);
  }
  return servers;
}

function describeIssue(
  value: unknown,
  error: { issues: { path: PropertyKey[]; message: string; code?: string }[] },
): string {
  const hasCommand = Boolean(value && typeof value === "object" && "command" in value);
  const hasUrl = Boolean(value && typeof value === "object" && "url" in value);
  if (!hasCommand && !hasUrl) return 'needs either "command" (stdio) or "url" (remote)';
  // A union reports both branches; keep the issues of the branch the entry meant.
  const issues = error.issues.flatMap((issue) =>
    issue.code === "invalid_union"
      ? ((issue as unknown as { errors: (typeof error.issues)[] }).errors ?? []).flat()
      : [issue],
  );
  const relevant = issues.find((issue) => {
    const field = String(issue.path[0] ?? "");
    return hasCommand
      ? !["url", "headers"].includes(field)
      : !["command", "args", "env", "cwd"].includes(field);
  });
  const issue = relevant ?? issues[0];
  const field = issue?.path.join(".") || "entry";
  return `field "${field}": ${issue?.message ?? "invalid"}`;
}
