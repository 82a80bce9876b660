// Turns a concrete path into the endpoint it calls: ids collapse to {id}, the query string is
// dropped, so /users/123/posts?page=2 and /users/456/posts are one endpoint. Bounded in segments
// and length so a hostile server cannot create unbounded distinct endpoints by path shape alone
// (the per-host endpoint cap in storage is the second fence).

const MAX_SEGMENTS = 12;
const MAX_LENGTH = 256;

const ID_PATTERNS = [
  /^\d+$/, // 123
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // uuid
  /^[0-9a-f]{12,}$/i, // hex ids, hashes
  /^[^@/]+@[^@/]+$/, // emails as path segments
  /^\d{4}-\d{2}-\d{2}/, // dates
];

function looksLikeId(segment: string): boolean {
  if (ID_PATTERNS.some((pattern) => pattern.test(segment))) return true;
  // Long mixed tokens (Slack ids like C024BE91L, base64 keys, redacted values).
  return segment.length >= 16 && /\d/.test(segment) && /[A-Za-z]/.test(segment);
}

export function endpointTemplateOf(path: string): string {
  const withoutQuery = path.split(/[?#]/, 1)[0] ?? "";
  const segments = withoutQuery.split("/").filter((segment) => segment !== "");
  const templated = segments.slice(0, MAX_SEGMENTS).map((segment) => {
    if (segment === "[redacted]") return "{id}";
    return looksLikeId(segment) || /^[A-Z0-9]{9,}$/.test(segment) ? "{id}" : segment;
  });
  if (segments.length > MAX_SEGMENTS) templated.push("…");
  const template = `/${templated.join("/")}`;
  return template.length > MAX_LENGTH ? `${template.slice(0, MAX_LENGTH - 1)}…` : template;
}
