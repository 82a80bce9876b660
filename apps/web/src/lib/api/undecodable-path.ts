import { randomUUID } from "node:crypto";
import { AppError } from "@lunar/shared";
import { problemResponse } from "./problem-response";

/**
 * True when a segment of the (still percent-encoded) path does not decode to UTF-8 text: a `%`
 * without two hex digits after it, bytes that are not UTF-8, or an encoded lone surrogate.
 * Next decodes path parameters before any route handler runs and answers those with a bare 500.
 */
export function isUndecodablePath(pathname: string): boolean {
  for (const segment of pathname.split("/")) {
    try {
      decodeURIComponent(segment);
    } catch {
      return true;
    }
  }
  return false;
}

/** The answer to an address Next could not decode: a 400, problem+json under /api. */
export function undecodablePathResponse(pathname: string): Response {
  const message = "The address is not valid percent-encoded UTF-8";
  if (pathname === "/api" || pathname.startsWith("/api/")) {
    return problemResponse(new AppError("bad_request", message), randomUUID());
  }
  return new Response(`Bad request: ${message}\n`, {
    status: 400,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
