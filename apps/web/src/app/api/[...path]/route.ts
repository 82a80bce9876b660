import { AppError } from "@lunar/shared";
import { publicRoute } from "@/lib/api/api-route";

// Unknown API paths answer in the API's error shape, not with the dashboard's HTML 404 page.
const notFound = publicRoute({}, async ({ request }) => {
  throw new AppError("not_found", `No API endpoint ${request.method} ${request.nextUrl.pathname}`);
});

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
