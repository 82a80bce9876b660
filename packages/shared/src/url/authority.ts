import { normalizeHost } from "./host";
import type { HostKind, TargetErrorCode } from "./target-types";

export type AuthorityResult =
  | {
      readonly ok: true;
      readonly host: string;
      readonly hostKind: HostKind;
      /** Null when the authority names no port (or an empty one, which RFC 9110 allows in Host). */
      readonly port: number | null;
    }
  | { readonly ok: false; readonly code: TargetErrorCode; readonly message: string };

const PORT_DIGITS = /^[0-9]{1,5}$/;

/**
 * Splits and normalises `host[:port]` / `[v6][:port]` as found in a CONNECT request or a Host
 * header. Userinfo is not part of either (RFC 9110), so "@" is refused rather than stripped.
 */
export function parseAuthority(raw: string): AuthorityResult {
  if (raw.includes("@")) {
    return fail("userinfo_not_allowed", 'an authority here cannot carry userinfo ("@")');
  }
  const split = splitHostPort(raw);
  if (!split) return fail("invalid_host", `"${raw}" is not host[:port]`);
  const port = parsePort(split.port);
  if (port === "invalid") return fail("invalid_port", `"${split.port}" is not a port (1-65535)`);
  const host = normalizeHost(split.host);
  if (!host.ok) return host;
  return { ok: true, host: host.host, hostKind: host.hostKind, port };
}

/** Port text as found after ":" (leading zeros allowed, as the WHATWG URL parser does). */
export function parsePort(text: string | null): number | null | "invalid" {
  if (text === null || text === "") return null;
  const digits = text.replace(/^0+(?=\d)/, "");
  if (!PORT_DIGITS.test(digits)) return "invalid";
  const port = Number(digits);
  return port >= 1 && port <= 65_535 ? port : "invalid";
}

/** Splits `host[:port]` or `[v6][:port]`; null when the shape is wrong. */
export function splitHostPort(raw: string): { host: string; port: string | null } | null {
  if (raw.startsWith("[")) {
    const close = raw.indexOf("]");
    if (close < 0) return null;
    const rest = raw.slice(close + 1);
    if (rest !== "" && !rest.startsWith(":")) return null;
    return { host: raw.slice(0, close + 1), port: rest === "" ? null : rest.slice(1) };
  }
  const colon = raw.indexOf(":");
  if (colon < 0) return { host: raw, port: null };
  // A second ":" means an IPv6 literal without brackets: ambiguous with a port, refused.
  if (raw.indexOf(":", colon + 1) >= 0) return null;
  return { host: raw.slice(0, colon), port: raw.slice(colon + 1) };
}

function fail(code: TargetErrorCode, message: string): AuthorityResult {
  return { ok: false, code, message };
}
