import { z } from "zod";

export const MAX_DEAD_LETTERS_PAGE = 500;

/** Query of GET /api/dead-letters: the newest `limit` events the ingest could not store. */
export const ZDeadLettersQuery = z
  .object({
    limit: z.coerce
      .number()
      .int("limit is a whole number")
      .min(1, "limit is at least 1")
      .max(MAX_DEAD_LETTERS_PAGE, `limit is at most ${MAX_DEAD_LETTERS_PAGE}`)
      .default(100),
  })
  .strict();
export type TDeadLettersQuery = z.infer<typeof ZDeadLettersQuery>;

/** An event that passed validation but that the database refused (kept with its reason). */
export const ZDeadLetter = z.object({
  id: z.string(),
  /** When the gateway received it. */
  receivedAt: z.string(),
  agentId: z.string(),
  /** The agent's name as it last said hello; null when the agent row is gone. */
  agentName: z.string().nullable(),
  /** The event's id and type as the agent sent them. */
  eventId: z.string(),
  kind: z.string(),
  /** The database's reason, as the gateway recorded it. */
  reason: z.string(),
  /** The event as JSON text, exactly as stored (its escapes keep NULs and lone surrogates). */
  payload: z.string(),
});
export type TDeadLetter = z.infer<typeof ZDeadLetter>;

export const ZDeadLettersPage = z.object({
  /** How many the organization has in all (the list holds the newest `limit`). */
  total: z.number().int().nonnegative(),
  /** Newest first. */
  deadLetters: z.array(ZDeadLetter),
});
export type TDeadLettersPage = z.infer<typeof ZDeadLettersPage>;
