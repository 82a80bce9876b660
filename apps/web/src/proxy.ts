import { type NextRequest, NextResponse } from "next/server";
import { isUndecodablePath, undecodablePathResponse } from "@/lib/api/undecodable-path";

/**
 * Runs only for addresses with a `%` that does not start an ASCII escape (see `config`), so
 * that one Next cannot decode gets a 400 instead of Next's bare 500. Everything else goes on.
 */
export function proxy(request: NextRequest): Response {
  const { pathname } = request.nextUrl;
  return isUndecodablePath(pathname) ? undecodablePathResponse(pathname) : NextResponse.next();
}

export const config = {
  // A `%` not followed by an escape of 00–7F: a broken escape, or non-ASCII bytes that may not
  // be UTF-8. Narrow on purpose: a request the proxy runs for has its body buffered by Next.
  matcher: "/:path((?:.*)%(?![0-7][0-9A-Fa-f]).*)",
};
