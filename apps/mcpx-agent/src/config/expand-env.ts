/** A `${VAR}` in the config that the environment does not define. */
export class MissingVariableError extends Error {
  constructor(readonly variable: string) {
    super(`\${${variable}} is not set in the environment`);
  }
}

/**
 * Expands `${VAR}` (and `${VAR:-default}`) in every string of a parsed JSON value. `$${VAR}`
 * keeps a literal `${VAR}`. A missing variable without a default is an error, not an empty
 * string: an empty API key is a confusing failure much later.
 */
export function expandEnv(value: unknown, env: NodeJS.ProcessEnv, path: string[] = []): unknown {
  if (typeof value === "string") {
    return value.replace(
      /\$?\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
      (match, name: string, fallback?: string) => {
        if (match.startsWith("$$")) return match.slice(1);
        const resolved = env[name] ?? fallback;
        if (resolved === undefined) throw Object.assign(new MissingVariableError(name), { path });
        return resolved;
      },
    );
  }
  if (Array.isArray(value))
    return value.map((item, index) => expandEnv(item, env, [...path, String(index)]));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, expandEnv(item, env, [...path, key])]),
    );
  }
  return value;
}
