import { listDeadLetters } from "@lunar/db";
import type { TDeadLettersPage } from "@lunar/shared";
import { db } from "@/lib/db";

/** Rejected events shown on the agents page (the API's default page of the newest 100). */
export const DEAD_LETTERS_SHOWN = 100;

export function loadDeadLetters(orgId: string): Promise<TDeadLettersPage> {
  return listDeadLetters(db(), orgId, DEAD_LETTERS_SHOWN);
}
