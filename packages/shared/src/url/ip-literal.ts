import ipaddr from "ipaddr.js";
import { domainToAsciiHost } from "./domain-to-ascii";

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
/** Dotted-quad with no leading zeros: the form every other notation is normalised to. */
export const CANONICAL_IPV4 = new RegExp(`^(?:${OCTET}\\.){3}${OCTET}$`);

export interface IpLiteral {
  readonly kind: "ipv4" | "ipv6";
  /** IPv4 dotted-quad, or IPv6 in RFC 5952 form without brackets. */
  readonly address: string;
}

/**
 * Reads an IP address in any notation a URL host accepts: IPv4 as dotted-quad, decimal
 * (2130706433), octal (0177.0.0.1), hex (0x7f.1) or short (127.1); IPv6 with or without
 * brackets. IPv4-mapped IPv6 (::ffff:127.0.0.1) becomes the IPv4 address, because connecting to
 * it is connecting to that IPv4 address. Returns null for anything that is not an IP address.
 */
export function parseIpLiteral(text: string): IpLiteral | null {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (bare.includes(":")) return parseIpv6(bare);
  // Fast path: canonical dotted-quad (no leading zeros), as targets and resolvers give it.
  if (CANONICAL_IPV4.test(bare)) return { kind: "ipv4", address: bare };
  if (!/^[0-9a-fA-FxX.]+$/.test(bare)) return null;
  // The WHATWG host parser is the one that decides which numbers are IPv4 addresses.
  const ascii = domainToAsciiHost(bare);
  if (ascii === null || !CANONICAL_IPV4.test(ascii)) return null;
  return { kind: "ipv4", address: ascii };
}

function parseIpv6(text: string): IpLiteral | null {
  // Zone ids (fe80::1%eth0) name a local interface: never a valid URL host.
  if (text.includes("%") || /[^0-9a-fA-F:.]/.test(text)) return null;
  // With a dotted tail the WHATWG parser reads the literal first: ipaddr.js alone would take
  // the deprecated IPv4-compatible ::127.0.0.1 for the IPv4-mapped ::ffff:127.0.0.1.
  const canonical = text.includes(".") ? domainToAsciiHost(`[${text}]`) : `[${text}]`;
  if (canonical === null) return null;
  const inner = canonical.slice(1, -1);
  if (!ipaddr.IPv6.isValid(inner)) return null;
  const address = ipaddr.IPv6.parse(inner);
  if (address.isIPv4MappedAddress()) {
    return { kind: "ipv4", address: address.toIPv4Address().toString() };
  }
  return { kind: "ipv6", address: address.toRFC5952String() };
}
