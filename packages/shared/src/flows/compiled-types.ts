import type { Scheme } from "../url/target-types";
import type { BlockResponse, FilterAction, PathPattern } from "./flow-types";
import type { HostIndex } from "./host-index";

export interface CompiledHeaderCondition {
  /** Lower-case header name. */
  readonly name: string;
  readonly value: RegExp;
}

/** One url glob of one Filter, ready to match. */
export interface CompiledRule {
  /** What events and decisions call it: "org:AllowFilter#1", "server:slack:SlackOnly#0". */
  readonly id: string;
  readonly flow: string;
  /** The url glob as written. */
  readonly source: string;
  /** Position in the document (flows in order, then urls in order): lower wins ties. */
  readonly order: number;
  readonly action: FilterAction;
  readonly scheme: Scheme | null;
  readonly port: number | null;
  /** The glob names one host (a domain or an IP), not "*.": it may reach internal addresses. */
  readonly namesHostExactly: boolean;
  /** For deny rules, lower-cased: denies match paths case-insensitively. */
  readonly path: PathPattern;
  readonly methods: ReadonlySet<string> | null;
  readonly headers: readonly CompiledHeaderCondition[];
}

/** The flows that apply in one scope (the org, or one MCP server). */
export interface CompiledScope {
  /** "org" or "server:<name>": the prefix of rule ids in this scope. */
  readonly label: string;
  readonly deny: HostIndex;
  /** Null when the scope has no allowlist (no allow Filter): nothing is denied by default. */
  readonly allow: HostIndex | null;
  /** The first allow Filter's name: the rule blamed when a request is not on the allowlist. */
  readonly allowlistName: string | null;
  readonly response: BlockResponse | null;
}

export interface CompiledFlows {
  readonly org: CompiledScope;
  readonly servers: ReadonlyMap<string, CompiledScope>;
  /** Number of url globs compiled. */
  readonly ruleCount: number;
}
