import { getDomain } from "tldts";

/**
 * The provider a host belongs to: its registrable domain under the ICANN part of the public
 * suffix list (so maps.googleapis.com → googleapis.com, and private suffixes such as
 * *.herokuapp.com do not split providers). IP literals and single-label hosts are their own
 * provider.
 */
export function providerDomainOf(host: string): string {
  const normalized = host.toLowerCase().replace(/\.$/, "");
  const domain = getDomain(normalized, { allowPrivateDomains: false, extractHostname: false });
  return domain ?? normalized;
}
