// What leaves the machine about an outbound call: the path with secrets taken out. Query values
// are always replaced (Google Maps puts its key there); path segments that look like tokens are
// too (Slack webhooks carry theirs in the path). Header values and bodies are never reported.

const REDACTED = "[redacted]";

function looksLikeSecret(segment: string): boolean {
  if (segment.length < 16) return false;
  const decoded = safeDecode(segment);
  if (/^(sk|pk|xox[abprs]|ghp|gho|ghs|github_pat|AKIA|AIza|lunar)[-_]/i.test(decoded)) return true;
  // Long mixed strings of letters and digits with little structure: ids and keys alike, and an id
  // is cheap to lose compared with a key.
  const letters = /[A-Za-z]/.test(decoded);
  const digits = /\d/.test(decoded);
  return letters && digits && !/[.]/.test(decoded) && decoded.length >= 20;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** `/services/T000/B000/XXXXXXXX?key=abc&q=x` → `/services/T000/B000/[redacted]?key=[redacted]&q=[redacted]`. */
export function redactPath(path: string, query: string): string {
  if (!query && path.length <= 2048 && !hasLongSegment(path)) return path; // nothing to redact
  const segments = path
    .split("/")
    .map((segment) => (looksLikeSecret(segment) ? REDACTED : segment));
  const redactedQuery = query
    ? `?${query
        .slice(1)
        .split("&")
        .map((pair) => {
          const name = pair.split("=", 1)[0] ?? "";
          return pair.includes("=") ? `${name}=${REDACTED}` : name;
        })
        .join("&")}`
    : "";
  return `${segments.join("/")}${redactedQuery}`.slice(0, 2048);
}

/** Whether a segment is long enough to be a secret (looksLikeSecret needs 16 characters). */
function hasLongSegment(path: string): boolean {
  let start = 0;
  for (;;) {
    const slash = path.indexOf("/", start);
    const end = slash < 0 ? path.length : slash;
    if (end - start >= 16) return true;
    if (slash < 0) return false;
    start = slash + 1;
  }
}
