/** A connection counts as live only with a heartbeat this recent (the gateway beats every 15 s). */
const LIVE_WITHIN_MS = 60_000;

/** Whether an agents row has a live gateway connection at `now`. */
export function isAgentConnected(
  row: { connectionId: string | null; lastSeenAt: Date },
  now: Date,
): boolean {
  return row.connectionId !== null && row.lastSeenAt.getTime() > now.getTime() - LIVE_WITHIN_MS;
}

/** The servers column is what the agent's hello said (validated by the gateway); read defensively. */
export function readAgentServers(value: unknown): { name: string; transport: string }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (typeof item !== "object" || item === null) return [];
    const { name, transport } = item as { name?: unknown; transport?: unknown };
    return typeof name === "string"
      ? [{ name, transport: typeof transport === "string" ? transport : "" }]
      : [];
  });
}
