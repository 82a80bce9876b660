import ipaddr from "ipaddr.js";
import { parseIpLiteral } from "./ip-literal";

/**
 * What kind of place an address is. Everything but "public" is refused by the egress proxy
 * unless a rule names the host exactly (see docs/FLOWS.md, "Internal addresses").
 * - "private": RFC 1918, shared address space 100.64/10 (CGNAT, Tailscale), IPv6 unique-local
 *   fc00::/7, NAT64 local-use 64:ff9b:1::/48;
 * - "reserved": documentation, benchmarking, 240/4, IETF protocol space, and IPv6 outside
 *   2000::/3 or in deprecated/special blocks (IPv4-compatible ::a.b.c.d, site-local fec0::/10,
 *   Teredo, ORCHID);
 * - "metadata": cloud instance-metadata endpoints, checked before the ranges they sit in.
 */
export type AddressClass =
  | "public"
  | "loopback"
  | "private"
  | "link-local"
  | "metadata"
  | "unspecified"
  | "multicast"
  | "broadcast"
  | "reserved";

const METADATA_ADDRESSES: ReadonlySet<string> = new Set([
  "169.254.169.254", // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle… instance metadata
  "169.254.169.253", // AWS VPC DNS
  "169.254.169.123", // AWS time sync
  "169.254.170.2", // AWS ECS task metadata and credentials
  "169.254.170.23", // AWS EKS pod identity
  "169.254.0.23", // Tencent Cloud metadata
  "100.100.100.200", // Alibaba Cloud metadata
  "168.63.129.16", // Azure WireServer (a public-looking address that is host-internal)
  "192.0.0.192", // Oracle Cloud (legacy) metadata
  "fd00:ec2::254", // AWS IMDS over IPv6
  "fd00:ec2::253", // AWS VPC DNS over IPv6
  "fd00:ec2::123", // AWS time sync over IPv6
  "fd00:ec2::23", // AWS EKS pod identity over IPv6
]);

/** Classifies an IP address (any notation parseIpLiteral reads); null when it is not one. */
export function classifyAddress(ip: string): AddressClass | null {
  const literal = parseIpLiteral(ip);
  if (!literal) return null;
  if (METADATA_ADDRESSES.has(literal.address)) return "metadata";
  return literal.kind === "ipv4"
    ? classifyIpv4(literal.address)
    : classifyIpv6(ipaddr.IPv6.parse(literal.address));
}

/** True only for "public": the one class the proxy dials without a rule naming the host. */
export function isPublicAddress(ip: string): boolean {
  return classifyAddress(ip) === "public";
}

/** IPv4 special-purpose blocks (RFC 6890 and friends), first match wins. */
const IPV4_BLOCKS: readonly (readonly [string, number, AddressClass])[] = [
  ["0.0.0.0", 8, "unspecified"],
  ["127.0.0.0", 8, "loopback"],
  ["10.0.0.0", 8, "private"],
  ["172.16.0.0", 12, "private"],
  ["192.168.0.0", 16, "private"],
  ["100.64.0.0", 10, "private"],
  ["169.254.0.0", 16, "link-local"],
  ["224.0.0.0", 4, "multicast"],
  ["255.255.255.255", 32, "broadcast"],
  ["192.0.0.0", 24, "reserved"],
  ["192.0.2.0", 24, "reserved"],
  ["192.88.99.0", 24, "reserved"],
  ["198.18.0.0", 15, "reserved"],
  ["198.51.100.0", 24, "reserved"],
  ["203.0.113.0", 24, "reserved"],
  ["240.0.0.0", 4, "reserved"],
];

// Precomputed as (network, mask) integers: classification is on the per-request path.
const IPV4_MASKS = IPV4_BLOCKS.map(([base, bits, kind]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { network: (ipv4ToInt(base) & mask) >>> 0, mask, kind };
});

function ipv4ToInt(dotted: string): number {
  let value = 0;
  for (const octet of dotted.split(".")) value = value * 256 + Number(octet);
  return value;
}

/** Classifies a canonical dotted-quad (plain integer masks: ipaddr.js parsing is slow here). */
function classifyIpv4(dotted: string): AddressClass {
  const value = ipv4ToInt(dotted);
  for (const block of IPV4_MASKS) {
    if ((value & block.mask) >>> 0 === block.network) return block.kind;
  }
  return "public";
}

function classifyIpv6(address: ipaddr.IPv6): AddressClass {
  const parts = address.parts;
  const embedded = embeddedIpv4(address);
  if (embedded) return METADATA_ADDRESSES.has(embedded) ? "metadata" : classifyIpv4(embedded);
  switch (address.range()) {
    case "unspecified":
      return "unspecified";
    case "loopback":
      return "loopback";
    case "linkLocal":
      return "link-local";
    case "uniqueLocal":
      return "private";
    case "multicast":
      return "multicast";
    case "rfc6052":
      return "private"; // 64:ff9b:1::/48, NAT64 for local use (the /96 is handled as embedded)
    case "amt":
    case "as112v6":
      return "public";
    case "unicast":
      break;
    default:
      return "reserved";
  }
  const first = parts[0] ?? 0;
  // Only 2000::/3 is allocated global unicast; everything else (::/8 with IPv4-compatible
  // addresses, 100::/64 discard, 5f00::/16…) is reserved.
  return (first & 0xe000) === 0x2000 ? "public" : "reserved";
}

/**
 * IPv6 addresses that carry an IPv4 address and reach it through a translator: judged by that
 * IPv4 address, so ::ffff:0:7f00:1 or 64:ff9b::a9fe:a9fe are not ways into 127.0.0.1 or metadata.
 */
function embeddedIpv4(address: ipaddr.IPv6): string | null {
  const p = address.parts;
  const range = address.range();
  const isNat64 = p[0] === 0x64 && p[1] === 0xff9b && p.slice(2, 6).every((x) => x === 0);
  if (range === "rfc6145" || isNat64) return ipv4FromWords(p[6] ?? 0, p[7] ?? 0);
  if (range === "6to4") return ipv4FromWords(p[1] ?? 0, p[2] ?? 0);
  return null;
}

function ipv4FromWords(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}
