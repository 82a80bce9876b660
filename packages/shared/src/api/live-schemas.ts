import { z } from "zod";
import { ZStorableText } from "../storable/storable-text";

/** Query of GET /api/live: every filter optional; events must match all that are given. */
export const ZLiveFilter = z
  .object({
    server: ZStorableText.min(1).max(128).optional(),
    host: ZStorableText.min(1).max(253).optional(),
    endpoint: ZStorableText.min(1).max(256).optional(),
    decision: z.enum(["allowed", "blocked"]).optional(),
    kind: z.enum(["tool_call", "http_call"]).optional(),
  })
  .strict();
export type TLiveFilter = z.infer<typeof ZLiveFilter>;

/** One event as the live-log stream sends it to the browser. */
export const ZLiveEvent = z.object({
  id: z.string(),
  kind: z.enum(["tool_call", "http_call"]),
  occurredAt: z.string(),
  agentId: z.string(),
  server: z.string(),
  durationMs: z.number(),
  correlationId: z.string().nullable(),
  tool: z.string().nullable(),
  outcome: z.string().nullable(),
  method: z.string().nullable(),
  host: z.string().nullable(),
  path: z.string().nullable(),
  endpoint: z.string().nullable(),
  status: z.number().nullable(),
  decision: z.string().nullable(),
  rule: z.string().nullable(),
  networkError: z.string().nullable(),
});
export type TLiveEvent = z.infer<typeof ZLiveEvent>;

export function matchesLiveFilter(event: TLiveEvent, filter: TLiveFilter): boolean {
  if (filter.kind && event.kind !== filter.kind) return false;
  if (filter.server && event.server !== filter.server) return false;
  if (filter.host && event.host !== filter.host.toLowerCase()) return false;
  if (filter.endpoint && event.endpoint !== filter.endpoint && event.tool !== filter.endpoint)
    return false;
  if (filter.decision && event.decision !== filter.decision) return false;
  return true;
}
