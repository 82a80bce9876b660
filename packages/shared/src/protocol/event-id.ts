import { v7 } from "uuid";

/**
 * A new event id: UUIDv7, time-ordered, so the gateway's dedup ledger and the events index grow
 * at their right edge instead of taking random page writes.
 */
export function newEventId(): string {
  return v7();
}
