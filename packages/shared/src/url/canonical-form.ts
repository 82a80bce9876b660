import { CANONICAL_IPV4 } from "./ip-literal";
import type { HostKind } from "./target-types";

// The form nearly every request target already has, read without the WHATWG parser. Each check
// accepts only text the full parser would return unchanged; anything else goes to the full
// parser. A property test (canonical-form.test.ts) holds the two to the same answers.

/**
 * Lower-case ASCII labels of [a-z0-9_-], the last starting with a letter (so the WHATWG parser
 * never reads the host as an IPv4 number), no "xn--" (punycode is decoded and checked by the full
 * parser), no empty label, no trailing dot, at most 253 characters.
 */
const CANONICAL_DOMAIN = /^(?:[a-z0-9_-]{1,63}\.)*[a-z][a-z0-9_-]{0,62}$/;

/** The host kind when `host` is already a normalised domain or dotted-quad, else null. */
export function canonicalHostKind(host: string): HostKind | null {
  if (host.length <= 253 && CANONICAL_DOMAIN.test(host) && !host.includes("xn--")) {
    return "domain";
  }
  return CANONICAL_IPV4.test(host) ? "ipv4" : null;
}

/**
 * A path of characters the WHATWG parser keeps as they are (no "%", "\", "#", "?", spaces,
 * quotes, brackets, non-ASCII), then an optional query of the same kind plus "%", "?" and "/".
 */
const PATH_AND_QUERY = /^(\/[A-Za-z0-9\-._~!$&'()*+,;=:@/]*)(\?[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*)?$/;
/** "." or ".." as a whole segment: the full parser resolves those. */
const DOT_SEGMENT = /\/\.{1,2}(?:\/|$)/;

/** `{ path, query }` as the full parser would give them for an origin-form path, else null. */
export function canonicalPathAndQuery(text: string): { path: string; query: string } | null {
  const match = PATH_AND_QUERY.exec(text);
  if (match === null) return null;
  const path = match[1] ?? "/";
  if (path.includes("/.") && DOT_SEGMENT.test(path)) return null;
  const query = match[2] ?? "";
  // A lone "?" is an empty query to the WHATWG parser.
  return { path, query: query.length > 1 ? query : "" };
}

/**
 * A host as clients often write it: ASCII letters in any case, at most one trailing dot. The
 * WHATWG parser lower-cases ASCII and our normaliser drops one trailing dot, so this is the
 * canonical host lower-cased and without the dot; null when that is not canonical. A host ending
 * in a dot must be a domain (the full parser reads "1.2.3.4." itself).
 */
export function readCanonicalHost(raw: string): { host: string; hostKind: HostKind } | null {
  let host = raw;
  if (UPPER_CASE.test(host)) host = host.toLowerCase();
  const dotted = host.endsWith(".");
  if (dotted) host = host.slice(0, -1);
  const hostKind = canonicalHostKind(host);
  if (hostKind === null || (dotted && hostKind !== "domain")) return null;
  return { host, hostKind };
}
const UPPER_CASE = /[A-Z]/;

/** `http(s)://host[:port]`, port 1-65535 without leading zeros; the rest after it. */
const HTTP_ORIGIN = /^(https?):\/\/([A-Za-z0-9_.-]+)(?::([1-9][0-9]{0,4}))?(?=[/?]|$)/i;

export interface CanonicalUrl {
  readonly scheme: "http" | "https";
  readonly host: string;
  readonly hostKind: HostKind;
  /** Null when the URL names no port. */
  readonly port: number | null;
  readonly path: string;
  readonly query: string;
}

/** An absolute URL in (nearly) canonical form, read as the full parser would; else null. */
export function readCanonicalUrl(url: string): CanonicalUrl | null {
  const match = HTTP_ORIGIN.exec(url);
  if (match === null) return null;
  const host = readCanonicalHost(match[2] ?? "");
  if (host === null) return null;
  const port = match[3] === undefined ? null : Number(match[3]);
  if (port !== null && port > 65_535) return null;
  const rest = url.slice(match[0].length);
  const pathAndQuery = canonicalPathAndQuery(
    rest === "" || rest.startsWith("?") ? `/${rest}` : rest,
  );
  if (pathAndQuery === null) return null;
  return {
    scheme: (match[1] ?? "").length === 5 ? "https" : "http",
    host: host.host,
    hostKind: host.hostKind,
    port,
    path: pathAndQuery.path,
    query: pathAndQuery.query,
  };
}
