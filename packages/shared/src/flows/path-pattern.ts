import { normalizePathname } from "../url/path";
import type { PathPattern } from "./flow-types";

export type PathPatternResult =
  | { readonly ok: true; readonly pattern: PathPattern }
  | { readonly ok: false; readonly message: string };

const DOT_SEGMENT = /^(\.|%2e){1,2}$/i;

/**
 * Reads the path part of a url glob. The path goes through the same normalisation as request
 * paths (WHATWG encoding, unreserved escapes decoded, hex upper-cased), so a rule and a request
 * written differently but meaning the same compare equal. "*" only stands for whole segments.
 */
export function parsePathPattern(source: string): PathPatternResult {
  if (source === "" || source === "/*") return { ok: true, pattern: { kind: "any" } };
  if (!source.startsWith("/")) return { ok: false, message: "a path starts with /" };
  const rawSegments = source.slice(1).split("/");
  for (const segment of rawSegments) {
    if (DOT_SEGMENT.test(segment)) {
      return { ok: false, message: `"${segment}" segments are not allowed in a rule's path` };
    }
    if (segment.includes("*") && segment !== "*") {
      return { ok: false, message: `"*" must be a whole path segment (found "${segment}")` };
    }
  }
  const normalized = normalizePathname(new URL(`http://rule.invalid${source}`).pathname);
  const segments = normalized.slice(1).split("/");
  const rest = segments[segments.length - 1] === "*";
  const fixed = rest ? segments.slice(0, -1) : segments;
  if (!fixed.includes("*")) {
    return rest
      ? { ok: true, pattern: { kind: "prefix", prefix: `/${fixed.map((s) => `${s}/`).join("")}` } }
      : { ok: true, pattern: { kind: "exact", path: normalized } };
  }
  return {
    ok: true,
    pattern: { kind: "segments", segments: fixed.map((s) => (s === "*" ? null : s)), rest },
  };
}

/** Lower-cases a pattern's literal parts, for deny rules (matched case-insensitively). */
export function lowerCasePathPattern(pattern: PathPattern): PathPattern {
  switch (pattern.kind) {
    case "any":
      return pattern;
    case "exact":
      return { kind: "exact", path: pattern.path.toLowerCase() };
    case "prefix":
      return { kind: "prefix", prefix: pattern.prefix.toLowerCase() };
    case "segments":
      return {
        kind: "segments",
        segments: pattern.segments.map((s) => (s === null ? null : s.toLowerCase())),
        rest: pattern.rest,
      };
  }
}

/** `parts`: the path's segments after the leading "/", when the caller has them already. */
export function matchPathPattern(
  pattern: PathPattern,
  path: string,
  parts?: readonly string[],
): boolean {
  switch (pattern.kind) {
    case "any":
      return true;
    case "exact":
      return path === pattern.path;
    case "prefix":
      return path.startsWith(pattern.prefix);
    case "segments":
      return matchSegments(pattern.segments, pattern.rest, parts ?? path.slice(1).split("/"));
  }
}

function matchSegments(
  segments: readonly (string | null)[],
  rest: boolean,
  parts: readonly string[],
): boolean {
  // With `rest`, one more segment must follow (it may be empty: "/a/" matches "/a/*").
  if (rest ? parts.length <= segments.length : parts.length !== segments.length) return false;
  for (let i = 0; i < segments.length; i++) {
    const expected = segments[i];
    const actual = parts[i] ?? "";
    if (expected === null ? actual === "" : actual !== expected) return false;
  }
  return true;
}
