import { notFoundRoute } from "@/lib/api/not-found-route";

// The bare /api (also what /api/x/.. resolves to) has no endpoint either.
export const GET = notFoundRoute;
export const POST = notFoundRoute;
export const PUT = notFoundRoute;
export const PATCH = notFoundRoute;
export const DELETE = notFoundRoute;
