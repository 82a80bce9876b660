import { ZLiveFilter } from "@lunar/shared";
import { sessionRoute } from "@/lib/api/api-route";
import { validate } from "@/lib/api/validate";
import { liveStream } from "@/modules/live/lib/live-stream";

export const dynamic = "force-dynamic";

/** Server-sent events of the org's tool and outbound calls as they are stored (docs/API.md). */
export const GET = sessionRoute({}, async ({ request, session }) => {
  const filter = validate(ZLiveFilter, Object.fromEntries(request.nextUrl.searchParams));
  return liveStream(session.organization.id, filter);
});
