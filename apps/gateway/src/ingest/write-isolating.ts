import { type IngestItem, type IngestOutcome, isTransientDatabaseError } from "@lunar/db/postgres";

export interface RefusedEvent {
  /** Index into the item's events. */
  position: number;
  reason: string;
}

export interface IsolatedResult {
  batchId: string;
  stored: number;
  duplicates: number;
  refused: RefusedEvent[];
  newHosts: IngestOutcome["newHosts"];
}

/**
 * Writes one agent's batch after a transaction holding it failed for a reason that was not
 * transient: the halves are written on their own, recursively, until each event the database
 * refuses stands alone (at most ~2·log2(n) extra transactions per refused event). A transient
 * failure on the way is thrown to the caller, which retries the whole batch later: what was
 * stored by then is a duplicate on the retry, never a second row.
 */
export async function writeIsolating(
  item: IngestItem,
  write: (items: IngestItem[]) => Promise<IngestOutcome>,
): Promise<IsolatedResult> {
  const result: IsolatedResult = {
    batchId: "",
    stored: 0,
    duplicates: 0,
    refused: [],
    newHosts: [],
  };
  const attempt = async (positions: number[]): Promise<void> => {
    const part: IngestItem = {
      ...item,
      events: positions.map((position) => item.events[position] as IngestItem["events"][number]),
      rechecks: item.rechecks && positions.map((position) => item.rechecks?.[position] ?? null),
    };
    try {
      const outcome = await write([part]);
      const written = outcome.results[0];
      result.batchId ||= written?.batchId ?? "";
      result.stored += written?.stored ?? 0;
      result.duplicates += written?.duplicates ?? 0;
      result.newHosts.push(...outcome.newHosts);
    } catch (error) {
      if (isTransientDatabaseError(error)) throw error;
      if (positions.length === 1) {
        result.refused.push({ position: positions[0] as number, reason: describe(error) });
        return;
      }
      const middle = Math.ceil(positions.length / 2);
      await attempt(positions.slice(0, middle));
      await attempt(positions.slice(middle));
    }
  };
  await attempt(item.events.map((_, position) => position));
  return result;
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === "string" ? `${code}: ${message}` : message;
}
