import { toStorableText } from "@lunar/shared";
import type pg from "pg";

export interface DeadLetter {
  orgId: string;
  agentId: string;
  /** The event as the agent sent it (after validation); stored as escaped JSON text. */
  event: { id: string; type: string };
  /** Why the database refused it. */
  reason: string;
}

const MAX_REASON_LENGTH = 1_000;

/**
 * Keeps events the ingest could not store, with the database's reason. The payload is
 * JSON.stringify's text, whose escapes make NULs and lone surrogates storable, so the letter
 * itself cannot fail for the reason its event did.
 */
export async function insertDeadLetters(pool: pg.Pool, letters: DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  await pool.query(
    `INSERT INTO dead_letter_events (org_id, agent_id, event_id, kind, reason, payload)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    [
      letters.map((letter) => letter.orgId),
      letters.map((letter) => letter.agentId),
      letters.map((letter) => toStorableText(String(letter.event.id), 64)),
      letters.map((letter) => toStorableText(String(letter.event.type), 32)),
      letters.map((letter) => toStorableText(letter.reason, MAX_REASON_LENGTH)),
      letters.map((letter) => JSON.stringify(letter.event)),
    ],
  );
}
