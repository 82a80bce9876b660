import type { HostKind, Scheme } from "../url/target-types";

/** Where a flow applies: the whole org, or the outbound calls of one named MCP server. */
export type FlowScope =
  | { readonly kind: "org" }
  | { readonly kind: "server"; readonly server: string };

export type FilterAction = "allow" | "deny";

/** `*.example.com` matches every name below example.com and never example.com itself. */
export type HostPattern =
  | { readonly kind: "exact"; readonly host: string; readonly hostKind: HostKind }
  | { readonly kind: "subdomains"; readonly suffix: string };

/**
 * - "any": no path, or "/*";
 * - "exact": "/a/b" matches that path only;
 * - "prefix": "/a/*" matches "/a/" and everything below it (not "/a");
 * - "segments": a "*" standing for one whole, non-empty segment ("/repos/*\/issues"), with
 *   `rest` when the pattern also ends in "/*".
 */
export type PathPattern =
  | { readonly kind: "any" }
  | { readonly kind: "exact"; readonly path: string }
  | { readonly kind: "prefix"; readonly prefix: string }
  | {
      readonly kind: "segments";
      readonly segments: readonly (string | null)[];
      readonly rest: boolean;
    };

/** One entry of a Filter's `urls`: `[scheme://]host[:port][/path]`. */
export interface UrlPattern {
  readonly source: string;
  readonly scheme: Scheme | null;
  readonly host: HostPattern;
  /** Null: the scheme's default port (80 for http, 443 for https). */
  readonly port: number | null;
  readonly path: PathPattern;
}

/** Header name (lower-case) and a glob on its value ("*" any run of characters). */
export interface HeaderCondition {
  readonly name: string;
  readonly value: string;
}

export interface FilterFlow {
  readonly name: string;
  readonly processor: "Filter";
  readonly action: FilterAction;
  readonly scope: FlowScope;
  readonly urls: readonly UrlPattern[];
  /** Upper-case; null when the flow does not restrict methods. */
  readonly methods: readonly string[] | null;
  readonly headers: readonly HeaderCondition[];
}

export interface BlockResponse {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

export interface GenerateResponseFlow {
  readonly name: string;
  readonly processor: "GenerateResponse";
  readonly scope: FlowScope;
  readonly response: BlockResponse;
}

export type Flow = FilterFlow | GenerateResponseFlow;

/** A validated flows document: the flows in document order. */
export interface FlowsDocument {
  readonly flows: readonly Flow[];
}

export const DEFAULT_BLOCK_RESPONSE: BlockResponse = {
  status: 403,
  body: "Forbidden Access",
  contentType: "text/plain",
};
