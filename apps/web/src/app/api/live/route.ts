import { ZLiveFilter } from "@lunar/shared";
import { sessionRoute } from "@/lib/api/api-route";
import { liveStream } from "@/modules/live/lib/live-stream";

export const dynamic = "force-dynamic";

/** Server-sent events of the org's tool and outbound calls as they are stored (docs/API.md). */
export const GET = sessionRoute({ query: ZLiveFilter }, async ({ query, session }) => {
  return liveStream(session.organization.id, query);
});
