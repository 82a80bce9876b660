import { parseAuthority } from "./authority";
import { canonicalPathAndQuery, readCanonicalUrl } from "./canonical-form";
import { hasControlCharacters } from "./characters";
import { defaultPortOf } from "./default-ports";
import { normalizeHost } from "./host";
import { normalizePathname } from "./path";
import {
  type ParsedTarget,
  type Scheme,
  type TargetInput,
  type TargetResult,
  targetError,
} from "./target-types";

const HTTP_URL = /^(https?):\/\/([^/\\?#]*)/i;
const ANY_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/**
 * The one parser of request targets, used both to decide and to connect: the proxy dials
 * `host`:`port` of the result and forwards its `path` + `query`, never the raw target.
 * Targets already in canonical form (url/canonical-form.ts: a plain host, no userinfo, no "%"
 * or dot segments in the path, nothing to encode) are read without the WHATWG parser, with the
 * same result as `parseTargetInFull`.
 */
export function parseTarget(input: TargetInput): TargetResult {
  return parseTargetWith(input, true);
}

/** `parseTarget` without the canonical-form shortcut: what the shortcut is tested against. */
export function parseTargetInFull(input: TargetInput): TargetResult {
  return parseTargetWith(input, false);
}

function parseTargetWith(input: TargetInput, shortcut: boolean): TargetResult {
  switch (input.kind) {
    case "absolute":
      return (shortcut ? parseCanonicalAbsolute(input.url) : null) ?? parseAbsolute(input.url);
    case "connect":
      return parseConnect(input.authority);
    case "origin":
      return parseOrigin(input.hostHeader, input.path, input.scheme, shortcut);
  }
}

function parseCanonicalAbsolute(url: string): TargetResult | null {
  const canonical = readCanonicalUrl(url);
  if (canonical === null) return null;
  const { scheme, host, hostKind, port, path, query } = canonical;
  const target: ParsedTarget = {
    form: "absolute",
    scheme,
    host,
    hostKind,
    port: port ?? defaultPortOf(scheme),
    path,
    query,
  };
  return { ok: true, target };
}

/**
 * `http(s)://[userinfo@]host[:port]/path?query`. Userinfo is stripped: the URL is judged on its
 * real host (the part after the last "@"), and credentials are never forwarded in the target.
 * Our split of the authority must agree with the WHATWG parser's, or the URL is refused.
 */
function parseAbsolute(url: string): TargetResult {
  if (hasControlCharacters(url)) {
    return targetError("control_characters", "the URL contains spaces or control characters");
  }
  const head = HTTP_URL.exec(url);
  if (!head) {
    const isOtherScheme = ANY_SCHEME.test(url) && !/^https?:/i.test(url);
    return isOtherScheme
      ? targetError("unsupported_scheme", "only http and https URLs are proxied")
      : targetError("invalid_url", "not an absolute http(s) URL of the form scheme://host/…");
  }
  const scheme = (head[1] ?? "").toLowerCase() as Scheme;
  const authority = head[2] ?? "";
  const hostAndPort = authority.slice(authority.lastIndexOf("@") + 1);
  const ours = parseAuthority(hostAndPort);
  if (!ours.ok) return targetError(ours.code, ours.message);

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return targetError("invalid_url", "not a valid URL");
  }
  const theirs = normalizeHost(parsed.hostname);
  if (!theirs.ok || theirs.host !== ours.host) {
    return targetError("invalid_url", "the URL's host reads differently to different parsers");
  }
  return {
    ok: true,
    target: {
      form: "absolute",
      scheme,
      host: ours.host,
      hostKind: ours.hostKind,
      port: ours.port ?? defaultPortOf(scheme),
      path: normalizePathname(parsed.pathname),
      query: parsed.search,
    },
  };
}

/**
 * `CONNECT host:port`: the port is required (RFC 9110 authority-form). What runs in the tunnel
 * is unknown until inspected; it is taken as https, except on port 80 where it is taken as http
 * (clients such as undici's ProxyAgent tunnel plain HTTP too).
 */
function parseConnect(authority: string): TargetResult {
  if (hasControlCharacters(authority)) {
    return targetError("control_characters", "the authority contains spaces or control characters");
  }
  if (/[/\\?#]/.test(authority)) {
    return targetError("invalid_host", "a CONNECT authority is host:port only");
  }
  const parsed = parseAuthority(authority);
  if (!parsed.ok) return targetError(parsed.code, parsed.message);
  if (parsed.port === null) return targetError("missing_port", "CONNECT needs host:port");
  const target: ParsedTarget = {
    form: "connect",
    scheme: parsed.port === 80 ? "http" : "https",
    host: parsed.host,
    hostKind: parsed.hostKind,
    port: parsed.port,
    path: "/",
    query: "",
  };
  return { ok: true, target };
}

/** A path (with its query) and a Host header, as in a request inside an inspected tunnel. */
function parseOrigin(
  hostHeader: string,
  path: string,
  scheme: Scheme,
  shortcut: boolean,
): TargetResult {
  if (hasControlCharacters(hostHeader) || hasControlCharacters(path)) {
    return targetError("control_characters", "the request contains spaces or control characters");
  }
  if (/[/\\?#]/.test(hostHeader))
    return targetError("invalid_host", "a Host header is host[:port]");
  const authority = parseAuthority(hostHeader);
  if (!authority.ok) return targetError(authority.code, authority.message);
  if (!path.startsWith("/"))
    return targetError("invalid_path", "an origin-form path starts with /");
  if (path.includes("#")) return targetError("invalid_path", "a request path has no fragment");

  const canonical = shortcut ? canonicalPathAndQuery(path) : null;
  if (canonical !== null) {
    const target: ParsedTarget = {
      form: "origin",
      scheme,
      host: authority.host,
      hostKind: authority.hostKind,
      port: authority.port ?? defaultPortOf(scheme),
      path: canonical.path,
      query: canonical.query,
    };
    return { ok: true, target };
  }
  // A fixed base host keeps a path such as "//evil.io/x" a path: it can never become a host.
  let parsed: URL;
  try {
    parsed = new URL(`${scheme}://origin.invalid${path}`);
  } catch {
    return targetError("invalid_path", "not a valid request path");
  }
  return {
    ok: true,
    target: {
      form: "origin",
      scheme,
      host: authority.host,
      hostKind: authority.hostKind,
      port: authority.port ?? defaultPortOf(scheme),
      path: normalizePathname(parsed.pathname),
      query: parsed.search,
    },
  };
}
