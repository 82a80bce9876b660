import { AppError } from "@lunar/shared";
import { publicRoute } from "./api-route";

/** Unknown API paths answer in the API's error shape, not with the dashboard's HTML 404 page. */
export const notFoundRoute = publicRoute({}, async ({ request }) => {
  throw new AppError("not_found", `No API endpoint ${request.method} ${request.nextUrl.pathname}`);
});
