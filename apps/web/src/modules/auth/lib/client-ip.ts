/**
 * The client's address for the per-IP login limit: the last X-Forwarded-For entry, which is what
 * the nearest proxy saw (Next's own server fills the header from the socket when it is absent).
 * A client talking to Next directly can forge it, so the per-IP limit is only as good as the
 * reverse proxy in front; the per-account limit does not depend on it (docs/THREAT-MODEL.md).
 */
export function clientIp(request: Request): string {
  const hops = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  return hops[hops.length - 1] ?? "unknown";
}
