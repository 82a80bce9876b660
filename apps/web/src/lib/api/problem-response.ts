import type { APP_ERROR_STATUS, AppError, TProblem } from "@lunar/shared";

const TITLES: Record<keyof typeof APP_ERROR_STATUS, string> = {
  bad_request: "Bad request",
  invalid_json: "Malformed JSON",
  validation_failed: "Validation failed",
  unauthenticated: "Not signed in",
  invalid_credentials: "Invalid email or password",
  forbidden: "Forbidden",
  csrf_rejected: "Cross-site request rejected",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  conflict: "Conflict",
  email_taken: "Email already registered",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  rate_limited: "Too many attempts",
  internal: "Internal server error",
  unavailable: "Service unavailable",
};

/** Every API error leaves as RFC 9457 problem+json carrying the request id. */
export function problemResponse(error: AppError, requestId: string): Response {
  const body: TProblem = {
    type: `https://docs.lunar.dev/problems/${error.code}`,
    title: TITLES[error.code],
    status: error.status,
    detail: error.message,
    code: error.code,
    requestId,
    ...(error.fieldErrors ? { errors: error.fieldErrors } : {}),
  };
  const headers = new Headers({
    "content-type": "application/problem+json",
    "x-request-id": requestId,
    "cache-control": "no-store",
  });
  if (error.retryAfterSeconds !== undefined) {
    headers.set("retry-after", String(error.retryAfterSeconds));
  }
  return new Response(JSON.stringify(body), { status: error.status, headers });
}
