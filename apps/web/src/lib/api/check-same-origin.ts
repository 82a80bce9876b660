import { AppError } from "@lunar/shared";

/**
 * CSRF defence for cookie-authenticated writes: the browser's Origin (or, failing that,
 * Sec-Fetch-Site) must say the request comes from our own pages. SameSite=Lax cookies already
 * stop most cross-site posts; this closes the rest (same-site subdomains, old browsers).
 */
export function checkSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (origin) {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      throw rejected();
    }
    if (originHost !== host) throw rejected();
    return;
  }
  if (request.headers.get("sec-fetch-site") === "same-origin") return;
  throw rejected();
}

function rejected(): AppError {
  return new AppError(
    "csrf_rejected",
    "This request did not come from the dashboard's own origin (check the Origin header)",
  );
}
