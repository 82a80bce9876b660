import { readCanonicalHost } from "./canonical-form";
import { hasControlCharacters } from "./characters";
import { domainToAsciiHost } from "./domain-to-ascii";
import { parseIpLiteral } from "./ip-literal";
import type { HostKind, TargetErrorCode } from "./target-types";

export type HostResult =
  | { readonly ok: true; readonly host: string; readonly hostKind: HostKind }
  | { readonly ok: false; readonly code: TargetErrorCode; readonly message: string };

// Characters that would end a host or smuggle another one in (userinfo, path, port, escapes).
const NOT_IN_A_HOST = /[@/\\?#[\]:]/;
const ASCII_LABEL = /^[a-z0-9_-]{1,63}$/;
const MAX_HOST_LENGTH = 253;

/**
 * The one host normaliser: lower-case ASCII (IDN → punycode), one trailing dot removed, IPv4 in
 * any notation → dotted-quad, IPv6 → RFC 5952 without brackets, IPv4-mapped IPv6 → IPv4.
 * Percent-encoded hosts, empty labels and characters outside [a-z0-9_-] are refused: no real
 * client sends them, and refusing is simpler to reason about than decoding.
 * Accepts IPv6 with or without brackets so that normalising a normalised host is a no-op.
 * Hosts already canonical (or only in upper case, or with one trailing dot) are read without the
 * WHATWG parser (url/canonical-form.ts), with the same result.
 */
export function normalizeHost(raw: string): HostResult {
  const canonical = readCanonicalHost(raw);
  if (canonical !== null) return { ok: true, host: canonical.host, hostKind: canonical.hostKind };
  return normalizeHostInFull(raw);
}

/** `normalizeHost` without the shortcut for canonical hosts: what the shortcut is tested against. */
export function normalizeHostInFull(raw: string): HostResult {
  if (raw === "") return fail("invalid_host", "the host is empty");
  if (hasControlCharacters(raw)) {
    return fail("control_characters", "the host contains spaces or control characters");
  }
  if (raw.includes("%")) return fail("percent_encoded_host", "percent-encoded hosts are refused");
  if (raw.startsWith("[") || raw.includes(":")) return normalizeIpv6(raw);
  if (NOT_IN_A_HOST.test(raw)) return fail("invalid_host", `"${raw}" is not a valid host`);

  const ip = parseIpLiteral(raw);
  if (ip) return { ok: true, host: ip.address, hostKind: ip.kind };

  const ascii = domainToAsciiHost(raw);
  if (ascii === null) return fail("invalid_host", `"${raw}" is not a valid host name`);
  return checkDomain(ascii.endsWith(".") ? ascii.slice(0, -1) : ascii, raw);
}

function normalizeIpv6(raw: string): HostResult {
  const bracketed = raw.startsWith("[");
  if (bracketed !== raw.endsWith("]"))
    return fail("invalid_host", `"${raw}" has unbalanced brackets`);
  const ip = parseIpLiteral(raw);
  if (!ip) return fail("invalid_host", `"${raw}" is not a valid IPv6 address`);
  return { ok: true, host: ip.address, hostKind: ip.kind };
}

function checkDomain(domain: string, raw: string): HostResult {
  if (domain.length === 0 || domain.length > MAX_HOST_LENGTH) {
    return fail("invalid_host", `"${raw}" is not a valid host name (length)`);
  }
  for (const label of domain.split(".")) {
    if (!ASCII_LABEL.test(label)) {
      const what = label === "" ? "an empty label" : `the label "${label}"`;
      return fail("invalid_host", `"${raw}" is not a valid host name (${what})`);
    }
  }
  return { ok: true, host: domain, hostKind: "domain" };
}

function fail(code: TargetErrorCode, message: string): HostResult {
  return { ok: false, code, message };
}
