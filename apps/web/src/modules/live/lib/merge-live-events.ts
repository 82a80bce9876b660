import type { TLiveEvent } from "@lunar/shared";

/**
 * The events to show: `current` and `incoming` together, each event once (the stored history
 * fetched on connect and the live stream overlap), newest first by the time it happened (ids are
 * UUIDv7, so they break ties in the same order), at most `keep`.
 */
export function mergeLiveEvents(
  current: readonly TLiveEvent[],
  incoming: readonly TLiveEvent[],
  keep: number,
): TLiveEvent[] {
  const byId = new Map<string, TLiveEvent>();
  for (const event of current) byId.set(event.id, event);
  for (const event of incoming) byId.set(event.id, event);
  return [...byId.values()].sort(newestFirst).slice(0, keep);
}

function newestFirst(a: TLiveEvent, b: TLiveEvent): number {
  const byTime = Date.parse(b.occurredAt) - Date.parse(a.occurredAt);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
