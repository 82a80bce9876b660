import type { IssuePath } from "./flows-issue";
import { describeType, type IssueCollector, isPlainRecord } from "./issue-collector";

/** A parameter's value and where it sits, for error paths. */
export interface ParameterValue {
  readonly value: unknown;
  readonly path: IssuePath;
}

/**
 * Reads `parameters: [{ key, value }]` into a map by key. Keys are matched exactly, except that
 * `aliases` maps other spellings (e.g. "content-type") to the canonical key. Unknown keys,
 * repeated keys and entries of any other shape are errors: a typo must not silently weaken a rule.
 */
export function readParameters(
  raw: unknown,
  path: IssuePath,
  known: readonly string[],
  issues: IssueCollector,
  aliases: Readonly<Record<string, string>> = {},
): Map<string, ParameterValue> {
  const byKey = new Map<string, ParameterValue>();
  if (raw === undefined) return byKey;
  if (!Array.isArray(raw)) {
    issues.error(path, `parameters must be a list of { key, value }, not ${describeType(raw)}`);
    return byKey;
  }
  raw.forEach((entry: unknown, index) => {
    const entryPath = [...path, index];
    if (!isPlainRecord(entry)) {
      issues.error(entryPath, `a parameter is { key, value }, not ${describeType(entry)}`);
      return;
    }
    for (const field of Object.keys(entry)) {
      if (field !== "key" && field !== "value") {
        issues.error(
          [...entryPath, field],
          `unknown field "${field}" (a parameter has key and value)`,
          true,
        );
      }
    }
    const key = entry.key;
    if (typeof key !== "string") {
      issues.error([...entryPath, "key"], "a parameter needs a key (a string)");
      return;
    }
    const lower = key.toLowerCase();
    // Own properties only: "constructor" must not find Object.prototype.constructor.
    const alias = Object.hasOwn(aliases, lower) ? aliases[lower] : undefined;
    const canonical = known.includes(key) ? key : alias;
    if (canonical === undefined) {
      issues.error(
        [...entryPath, "key"],
        `unknown parameter "${key}" (expected one of: ${known.join(", ")})`,
      );
      return;
    }
    if (byKey.has(canonical)) {
      issues.error([...entryPath, "key"], `parameter "${canonical}" is given twice`);
      return;
    }
    if (!("value" in entry)) {
      issues.error(entryPath, `parameter "${canonical}" has no value`);
      return;
    }
    byKey.set(canonical, { value: entry.value, path: [...entryPath, "value"] });
  });
  return byKey;
}
