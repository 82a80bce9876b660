import { parseAuthority } from "./authority";
import { defaultPortOf } from "./default-ports";
import type { ParsedTarget, Scheme } from "./target-types";

type HostAndPort = Pick<ParsedTarget, "host" | "port">;

/** True when two normalised targets name the same host and port. */
export function hostsMatch(a: HostAndPort, b: HostAndPort): boolean {
  return a.host === b.host && a.port === b.port;
}

/**
 * Whether the Host header of a request inside a tunnel names the CONNECT authority the tunnel
 * was opened (and checked) for. A mismatch is a request for one host smuggled through a tunnel
 * approved for another, and must be refused. Unparseable input never matches.
 */
export function connectMatchesHostHeader(
  connectAuthority: string,
  hostHeader: string,
  innerScheme: Scheme,
): boolean {
  const tunnel = parseAuthority(connectAuthority);
  const inner = parseAuthority(hostHeader);
  if (!tunnel.ok || !inner.ok || tunnel.port === null) return false;
  return hostsMatch(
    { host: tunnel.host, port: tunnel.port },
    { host: inner.host, port: inner.port ?? defaultPortOf(innerScheme) },
  );
}
