/** The page of one provider host; the host is encoded, as it can hold any character. */
export function hostPageUrl(host: string): string {
  return `/providers/${encodeURIComponent(host)}`;
}
