import { parse as parseDomain } from "tldts";
import { parsePort, splitHostPort } from "../url/authority";
import { hasControlCharacters } from "../url/characters";
import { normalizeHost } from "../url/host";
import type { Scheme } from "../url/target-types";
import type { HostPattern, UrlPattern } from "./flow-types";
import { parsePathPattern } from "./path-pattern";

export type UrlPatternResult =
  | { readonly ok: true; readonly pattern: UrlPattern; readonly warning: string | null }
  | { readonly ok: false; readonly message: string };

const SCHEME_PREFIX = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

/**
 * Reads one url glob, `[http(s)://]host[:port][/path]`, with the host normalised exactly as
 * request hosts are (see url/host.ts). Anything the matcher would not honour is an error, not
 * silently ignored: queries, fragments, userinfo, wildcards other than a leading "*." label or
 * whole path segments.
 */
export function parseUrlPattern(source: string): UrlPatternResult {
  if (hasControlCharacters(source)) return fail("spaces and control characters are not allowed");
  if (/[?#]/.test(source)) return fail("queries and fragments are never matched: remove them");
  if (source.includes("\\")) return fail('"\\" is not allowed; paths use "/"');

  let rest = source;
  let scheme: Scheme | null = null;
  const schemeMatch = SCHEME_PREFIX.exec(source);
  if (schemeMatch) {
    const name = (schemeMatch[1] ?? "").toLowerCase();
    if (name !== "http" && name !== "https") return fail(`unsupported scheme "${name}"`);
    scheme = name;
    rest = source.slice(schemeMatch[0].length);
  }

  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const pathSource = slash < 0 ? "" : rest.slice(slash);
  if (authority.includes("@")) return fail('userinfo ("user@") is not allowed in a rule');

  const hostAndPort = splitHostPort(authority);
  if (!hostAndPort) return fail(`"${authority}" is not host[:port]`);
  const port = parsePort(hostAndPort.port);
  if (port === "invalid" || (hostAndPort.port !== null && port === null)) {
    return fail(`"${hostAndPort.port}" is not a port (1-65535)`);
  }
  const host = parseHostPattern(hostAndPort.host);
  if (!host.ok) return host;
  const path = parsePathPattern(pathSource);
  if (!path.ok) return path;
  return {
    ok: true,
    pattern: { source, scheme, host: host.pattern, port, path: path.pattern },
    warning: host.warning,
  };
}

function parseHostPattern(
  text: string,
): { ok: true; pattern: HostPattern; warning: string | null } | { ok: false; message: string } {
  const isWildcard = text.startsWith("*.");
  const body = isWildcard ? text.slice(2) : text;
  if (body.includes("*")) {
    return fail('a host wildcard is only a leading "*." label, as in "*.example.com"');
  }
  const host = normalizeHost(body);
  if (!host.ok) return fail(host.message);
  if (!isWildcard) {
    return {
      ok: true,
      pattern: { kind: "exact", host: host.host, hostKind: host.hostKind },
      warning: null,
    };
  }
  if (host.hostKind !== "domain") return fail('"*." only goes in front of a domain name');
  const suffix = parseDomain(host.host, { allowPrivateDomains: true });
  if (suffix.publicSuffix === host.host && suffix.isIcann) {
    return fail(`"*.${host.host}" covers every domain under the public suffix "${host.host}"`);
  }
  const warning =
    suffix.publicSuffix === host.host && suffix.isPrivate
      ? `"*.${host.host}": ${host.host} hosts names anyone can register (public suffix list), so this also matches other people's hosts`
      : null;
  return { ok: true, pattern: { kind: "subdomains", suffix: host.host }, warning };
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}
