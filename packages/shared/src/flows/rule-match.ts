import { defaultPortOf } from "../url/default-ports";
import type { CompiledRule } from "./compiled-types";
import { matchPathPattern } from "./path-pattern";
import type { RequestView } from "./request-view";

/** "unknown": everything seen matches, but the rule also has conditions on what was not seen. */
export type RuleVerdict = "match" | "no" | "unknown";

/**
 * Whether a rule (already found by host) matches. Where the request can be read two ways (path
 * readings, repeated headers), an allow rule must match every reading and a deny rule any one,
 * so that no reading is a way around either. Plain loops: this runs for every candidate rule.
 * `pathHolds`: the caller knows the path matches (a bucket's trie walk, see rule-bucket.ts).
 */
export function matchRule(rule: CompiledRule, view: RequestView, pathHolds = false): RuleVerdict {
  if (!matchesSchemeAndPort(rule, view)) return "no";
  let unknown = false;

  // Cheapest first: any failed condition is "no" whatever the order.
  if (rule.methods !== null) {
    if (view.method === null) unknown = true;
    else if (!rule.methods.has(view.method)) return "no";
  }
  if (rule.path.kind !== "any" && !pathHolds) {
    const paths = rule.action === "deny" ? view.lowerCasePaths() : view.paths;
    if (paths === null) unknown = true;
    else if (!matchesPath(rule, paths, view)) return "no";
  }
  if (rule.headers.length > 0) {
    if (!view.hasHeaders) unknown = true;
    else if (!matchesHeaders(rule, view)) return "no";
  }
  return unknown ? "unknown" : "match";
}

/** A rule without a port matches its scheme's default port (either scheme's, if none named). */
function matchesSchemeAndPort(rule: CompiledRule, view: RequestView): boolean {
  if (rule.scheme !== null && rule.scheme !== view.scheme) return false;
  return view.port === (rule.port ?? defaultPortOf(view.scheme));
}

function matchesPath(rule: CompiledRule, paths: readonly string[], view: RequestView): boolean {
  const needsAll = rule.action === "allow";
  const segmented = rule.path.kind === "segments" ? view.pathSegments(!needsAll) : null;
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i] ?? "";
    const parts = segmented?.[i];
    const matches = parts
      ? matchPathPattern(rule.path, path, parts)
      : matchPathPattern(rule.path, path);
    if (needsAll && !matches) return false;
    if (!needsAll && matches) return true;
  }
  return needsAll;
}

function matchesHeaders(rule: CompiledRule, view: RequestView): boolean {
  const needsAll = rule.action === "allow";
  for (const condition of rule.headers) {
    const values = view.headerValues(condition.name);
    if (values.length === 0) return false;
    let matched = needsAll;
    for (const value of values) {
      const matches = condition.value.test(value);
      if (needsAll && !matches) matched = false;
      if (!needsAll && matches) matched = true;
    }
    if (!matched) return false;
  }
  return true;
}
