import { AppError, ZHostEndpointsParams, ZHostEndpointsQuery } from "@lunar/shared";
import { json, sessionRoute } from "@/lib/api/api-route";
import { validate } from "@/lib/api/validate";
import { loadHostEndpoints } from "@/modules/endpoints/lib/load-host-endpoints";

/** One host's endpoints with the window's traffic (24h, 7d, 30d), most calls first (docs/API.md). */
export const GET = sessionRoute(
  { params: ZHostEndpointsParams },
  async ({ request, session, params }) => {
    // An empty parameter (`?window=`) means the default, as for GET /api/providers.
    const given = [...request.nextUrl.searchParams].filter(([, value]) => value !== "");
    const { window } = validate(ZHostEndpointsQuery, Object.fromEntries(given));
    const page = await loadHostEndpoints(session.organization.id, params.host, window);
    if (!page) throw new AppError("not_found", "Your organization never called this host");
    return json(page);
  },
);
