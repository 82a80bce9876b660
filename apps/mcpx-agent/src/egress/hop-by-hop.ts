/**
 * Request headers never forwarded upstream: hop-by-hop ones (RFC 9110 §7.6.1), the proxy's own,
 * Host (rebuilt from the checked target) and Expect (the proxy answers 100-continue itself).
 */
export const REQUEST_HOP_BY_HOP: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-authorization",
  "proxy-authenticate",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "expect",
]);
