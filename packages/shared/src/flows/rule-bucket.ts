import type { CompiledRule } from "./compiled-types";
import type { RequestView } from "./request-view";

/** Below this many rules a bucket is scanned whole: cheaper than walking a trie. */
const TRIE_FROM = 8;

/** One level of a bucket's path trie: rules whose path pattern has these segments so far. */
interface TrieNode {
  readonly literal: Map<string, TrieNode>;
  /** A "*" segment: any one non-empty segment. */
  wildcard: TrieNode | null;
  /** Rules whose pattern ends here: the path has exactly this many segments. */
  readonly exactEnd: CompiledRule[];
  /** Rules whose pattern ends here with "/*" (or a prefix "/a/"): at least one more segment. */
  readonly restEnd: CompiledRule[];
}

/**
 * The rules of one host key (exact host or "*." suffix) of one scope and action, in document
 * order. `candidates` narrows them to the rules whose path pattern can match the request's path,
 * through a trie of the patterns' segments, so a host with many rules costs a walk down the
 * request's path instead of a match per rule. It only ever drops rules whose path condition
 * surely fails, which `matchRule` would answer "no" for anyway; the survivors are still matched
 * in full (scheme, port, method, path, headers).
 */
export class RuleBucket {
  readonly rules: CompiledRule[] = [];
  /** Rules with no path condition ("/*"): always candidates. */
  private anyPath: CompiledRule[] = [];
  private trie: TrieNode | null = null;

  add(rule: CompiledRule): void {
    this.rules.push(rule);
    this.trie = null;
  }

  /**
   * The rules that may match the request's path, in document order. A deny rule is kept if it
   * may match one reading of the path (lower-cased, as deny rules match); an allow rule, which
   * must match every reading, if it may match the first. When the path was not seen, all rules.
   */
  candidates(view: RequestView): readonly CompiledRule[] {
    if (this.rules.length < TRIE_FROM) return this.rules;
    const anyReading = this.rules[0]?.action === "deny";
    const readings = view.pathSegments(anyReading);
    if (readings === null) return this.rules;
    const trie = this.trie ?? this.build();
    const found: CompiledRule[] = this.anyPath.slice();
    const count = anyReading ? readings.length : Math.min(1, readings.length);
    for (let i = 0; i < count; i++) {
      const parts = readings[i];
      if (parts) collect(trie, parts, 0, found, i > 0);
    }
    if (found.length > 1) found.sort(byOrder);
    return found;
  }

  /**
   * True when every rule `candidates` returns surely matches the request's path, so matching
   * may skip the path: the trie was used (its walk is exact, not only a filter) and the rules
   * need one reading to match (deny), or there is only one reading.
   */
  candidatesMatchPath(view: RequestView): boolean {
    if (this.rules.length < TRIE_FROM) return false;
    const anyReading = this.rules[0]?.action === "deny";
    const readings = view.pathSegments(anyReading);
    return readings !== null && (anyReading || readings.length === 1);
  }

  private build(): TrieNode {
    const root = newNode();
    const anyPath: CompiledRule[] = [];
    for (const rule of this.rules) {
      const path = rule.path;
      if (path.kind === "any" || (path.kind === "prefix" && path.prefix === "/")) {
        anyPath.push(rule);
        continue;
      }
      let segments: readonly (string | null)[];
      let rest: boolean;
      if (path.kind === "exact") {
        segments = path.path.slice(1).split("/");
        rest = false;
      } else if (path.kind === "prefix") {
        // "/a/b/" holds exactly the paths with segments a, b and at least one more.
        segments = path.prefix.slice(1, -1).split("/");
        rest = true;
      } else {
        segments = path.segments;
        rest = path.rest;
      }
      let node = root;
      for (const segment of segments) {
        if (segment === null) {
          node.wildcard ??= newNode();
          node = node.wildcard;
        } else {
          let next = node.literal.get(segment);
          if (!next) {
            next = newNode();
            node.literal.set(segment, next);
          }
          node = next;
        }
      }
      (rest ? node.restEnd : node.exactEnd).push(rule);
    }
    this.anyPath = anyPath;
    this.trie = root;
    return root;
  }
}

function collect(
  node: TrieNode,
  parts: readonly string[],
  depth: number,
  found: CompiledRule[],
  dedupe: boolean,
): void {
  if (depth === parts.length) {
    push(found, node.exactEnd, dedupe);
    return;
  }
  push(found, node.restEnd, dedupe);
  const part = parts[depth] ?? "";
  const next = node.literal.get(part);
  if (next) collect(next, parts, depth + 1, found, dedupe);
  if (node.wildcard !== null && part !== "")
    collect(node.wildcard, parts, depth + 1, found, dedupe);
}

function push(found: CompiledRule[], rules: readonly CompiledRule[], dedupe: boolean): void {
  for (const rule of rules) if (!dedupe || !found.includes(rule)) found.push(rule);
}

function byOrder(a: CompiledRule, b: CompiledRule): number {
  return a.order - b.order;
}

function newNode(): TrieNode {
  return { literal: new Map(), wildcard: null, exactEnd: [], restEnd: [] };
}
