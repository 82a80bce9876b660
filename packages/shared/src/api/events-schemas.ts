import { z } from "zod";
import { ZStorableText } from "../storable/storable-text";
import type { TLiveEvent } from "./live-schemas";

export const MAX_EVENTS_PAGE = 500;

/** Query of GET /api/events: recent events (last 24 h), newest first. */
export const ZEventsQuery = z
  .object({
    decision: z.enum(["allowed", "blocked"]).optional(),
    host: ZStorableText.min(1).max(253).optional(),
    server: ZStorableText.min(1).max(128).optional(),
    /** An endpoint template (`/api/users/{id}`) or, for tool calls, a tool name. */
    endpoint: ZStorableText.min(1).max(256).optional(),
    kind: z.enum(["tool_call", "http_call"]).optional(),
    limit: z.coerce
      .number()
      .int("limit is a whole number")
      .min(1, "limit is at least 1")
      .max(MAX_EVENTS_PAGE, `limit is at most ${MAX_EVENTS_PAGE}`)
      .default(100),
  })
  .strict();
export type TEventsQuery = z.infer<typeof ZEventsQuery>;

export interface TEventsPage {
  events: TLiveEvent[];
}
