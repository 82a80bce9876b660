import { AppError, ZHostEndpointsParams, ZHostEndpointsQuery } from "@lunar/shared";
import { json, sessionRoute } from "@/lib/api/api-route";
import { loadHostEndpoints } from "@/modules/endpoints/lib/load-host-endpoints";

/** One host's endpoints with the window's traffic (24h, 7d, 30d), most calls first (docs/API.md). */
export const GET = sessionRoute(
  { params: ZHostEndpointsParams, query: ZHostEndpointsQuery },
  async ({ session, params, query }) => {
    const page = await loadHostEndpoints(session.organization.id, params.host, query.window);
    if (!page) throw new AppError("not_found", "Your organization never called this host");
    return json(page);
  },
);
