const UNRESERVED = /[A-Za-z0-9\-._~]/;
const PERCENT_ESCAPE = /%([0-9A-Fa-f]{2})/g;

/**
 * Normalises a path the WHATWG URL parser already produced (so "\" is "/", dot segments in all
 * their %2e spellings are resolved, and characters outside the path set are percent-encoded):
 * escapes of unreserved characters are decoded (%41 → A, %7E → ~), the other escapes get
 * upper-case hex, and dot segments are resolved once more in case decoding made new ones.
 * "%2F" stays encoded: an encoded slash is data to most servers, not a separator.
 */
export function normalizePathname(pathname: string): string {
  const decoded = pathname.replace(PERCENT_ESCAPE, (_escape: string, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
  return removeDotSegments(decoded.startsWith("/") ? decoded : `/${decoded}`);
}

/** RFC 3986 §5.2.4 for an absolute path: "." and ".." segments go, never above the root. */
export function removeDotSegments(path: string): string {
  const input = path.split("/");
  const output: string[] = [];
  for (let i = 1; i < input.length; i++) {
    const segment = input[i] ?? "";
    const isLast = i === input.length - 1;
    if (segment === "." || segment === "..") {
      if (segment === "..") output.pop();
      if (isLast) output.push("");
      continue;
    }
    output.push(segment);
  }
  return `/${output.join("/")}`;
}

const AMBIGUOUS = /%2F|%5C|;|\/\//;

/**
 * How a server might read the path differently from us: decoding "%2F" and "%5C" into
 * separators, dropping ";params" from segments (Tomcat-style "/..;/"), merging "//" (nginx).
 * Returns that reading when it differs from `path` (a normalised path), else null. Allow rules
 * must match both readings and deny rules either one, so neither reading is a way around a rule.
 */
export function alternatePathReading(path: string): string | null {
  if (!AMBIGUOUS.test(path)) return null;
  const separated = path.replace(/%2F|%5C/g, "/");
  const withoutParams = separated
    .split("/")
    .map((segment) => {
      const semicolon = segment.indexOf(";");
      return semicolon < 0 ? segment : segment.slice(0, semicolon);
    })
    .join("/");
  const alternate = removeDotSegments(withoutParams.replace(/\/{2,}/g, "/"));
  return alternate === path ? null : alternate;
}
