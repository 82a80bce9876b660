/**
 * The WHATWG URL host parser for http(s): UTS #46 mapping and punycode (IDN), lower-casing, and
 * IPv4 numbers in every notation turned into dotted-quad. It is the algorithm behind Node's
 * `url.domainToASCII` (a test holds the two to the same answers), reached through `URL` so the same
 * code runs in the browser for the dashboard's "test a URL". Null when the host is not valid.
 *
 * The caller must have refused characters that end or split a host (`:/?#@\[]%`, controls,
 * spaces): here they would be read as URL syntax instead of being rejected.
 */
export function domainToAsciiHost(host: string): string | null {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
}
