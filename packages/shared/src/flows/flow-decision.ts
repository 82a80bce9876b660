import type { ParsedTarget } from "../url/target-types";
import type { BlockResponse } from "./flow-types";

/** Request headers as Node gives them (names in any case; repeated headers as arrays). */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/** What is being decided. Leave out what is not known: the result says what it did not see. */
export interface FlowRequest {
  /** From parseTarget; a "connect" target is decided at host level (host and port only). */
  readonly target: ParsedTarget;
  /** Absent when not known (a preview without a method); ignored for CONNECT targets. */
  readonly method?: string;
  /** Absent when not known: the gateway's re-check and the dashboard's preview. */
  readonly headers?: HeaderBag;
  /** The MCP server that made the call, for server-scoped flows; null applies org flows only. */
  readonly server: string | null;
}

export type UnseenCondition = "method" | "path" | "headers";

export interface FlowDecision {
  readonly decision: "allowed" | "blocked";
  /** The deciding rule ("org:AllowFilter#1", "org:AllowFilter" when not on that allowlist,
   * "builtin:internal-address"); null when nothing decided (visibility mode). */
  readonly rule: string | null;
  readonly reason: string;
  /** What to answer a blocked request with; present exactly when blocked. */
  readonly response?: BlockResponse;
  /** "host" when only host and port were known (a CONNECT tunnel without TLS inspection). */
  readonly level: "request" | "host";
  /** Conditions the decision could not look at: rules' conditions on them were not enforced. */
  readonly notConsidered: readonly UnseenCondition[];
  /** Rules that matched everything that was seen but have conditions on what was not: an allow
   * rule among them was taken to match, a deny rule was taken not to. */
  readonly partiallyChecked: readonly string[];
  /** An allow rule naming this exact host (not a "*." glob) let the request through: the host may
   * resolve to an internal address (see evaluateResolved). */
  readonly hostNamedExactly: boolean;
}

export const INTERNAL_ADDRESS_RULE = "builtin:internal-address";
