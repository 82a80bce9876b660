/** The two schemes the egress proxy speaks; anything else is refused before any rule is looked at. */
export type Scheme = "http" | "https";

export type HostKind = "domain" | "ipv4" | "ipv6";

/**
 * How the request named its target:
 * - "absolute": a proxy request line with a full URL (`GET http://host/path HTTP/1.1`);
 * - "connect": a CONNECT tunnel's authority (`CONNECT host:443`), host and port only;
 * - "origin": a path plus a Host header (a request inside an inspected tunnel, or a direct request).
 */
export type TargetInput =
  | { readonly kind: "absolute"; readonly url: string }
  | { readonly kind: "connect"; readonly authority: string }
  | {
      readonly kind: "origin";
      readonly hostHeader: string;
      readonly path: string;
      readonly scheme: Scheme;
    };

export type TargetForm = TargetInput["kind"];

/**
 * A request target after normalisation. The proxy connects to `host`:`port` and forwards
 * `path` + `query`, never the raw request target, so what was checked is what is sent.
 */
export interface ParsedTarget {
  readonly form: TargetForm;
  readonly scheme: Scheme;
  /** Lower-case ASCII (punycode), no trailing dot; IPv4 dotted-quad; IPv6 RFC 5952, no brackets. */
  readonly host: string;
  readonly hostKind: HostKind;
  readonly port: number;
  /** Starts with "/"; dot segments resolved, unreserved escapes decoded; "/" for CONNECT. */
  readonly path: string;
  /** "" or "?…" (never matched by rules, forwarded as is). */
  readonly query: string;
}

export type TargetErrorCode =
  | "invalid_url"
  | "unsupported_scheme"
  | "invalid_host"
  | "percent_encoded_host"
  | "userinfo_not_allowed"
  | "invalid_port"
  | "missing_port"
  | "invalid_path"
  | "control_characters";

export interface TargetError {
  readonly code: TargetErrorCode;
  readonly message: string;
}

export type TargetResult =
  | { readonly ok: true; readonly target: ParsedTarget }
  | { readonly ok: false; readonly error: TargetError };

export function targetError(code: TargetErrorCode, message: string): TargetResult {
  return { ok: false, error: { code, message } };
}
