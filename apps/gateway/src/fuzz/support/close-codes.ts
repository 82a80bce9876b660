import { CLOSE_CODES } from "@lunar/shared";
import type { Closed } from "./recording-agent";

/** The close codes docs/PROTOCOL.md documents (its table is CLOSE_CODES). */
export const DOCUMENTED_CLOSE_CODES: ReadonlySet<number> = new Set(Object.values(CLOSE_CODES));

/** Why a close the gateway started is not one the protocol allows, or null when it is. */
export function undocumentedClose(closed: Closed | null): string | null {
  if (closed === null || closed.byUs || DOCUMENTED_CLOSE_CODES.has(closed.code)) return null;
  const reason = closed.reason ? ` "${closed.reason}"` : "";
  return `closed with ${closed.code}${reason}, not a documented close code (${[...DOCUMENTED_CLOSE_CODES].join(", ")})`;
}
