/** How far back an agent's timestamp is believed (a spool replay after a long outage). */
export const MAX_EVENT_AGE_MS = 7 * 86_400_000;
/** How far ahead of our clock an agent's timestamp may be (clock skew). */
export const MAX_EVENT_SKEW_MS = 60_000;

/**
 * The time an event is stored under: the agent's timestamp, unless it is implausible (too old
 * for the partitions we keep, or in the future), in which case the receive time. So a wrong
 * agent clock can never make an insert miss its partition.
 */
export function clampOccurredAt(agentTs: number, receivedAt: number): number {
  if (agentTs > receivedAt + MAX_EVENT_SKEW_MS) return receivedAt;
  if (agentTs < receivedAt - MAX_EVENT_AGE_MS) return receivedAt;
  return agentTs;
}
