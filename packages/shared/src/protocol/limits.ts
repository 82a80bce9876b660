// Protocol v1 limits, shared by the agent (which must stay under them) and the gateway (which
// enforces them). docs/PROTOCOL.md lists them; change both together.
export const PROTOCOL_VERSION = 1;
export const SUPPORTED_PROTOCOL_VERSIONS = [1] as const;
/** Path the agent appends to LUNAR_GATEWAY_URL when that URL has none. */
export const AGENT_WS_PATH = "/v1/agent";
/** Largest WebSocket message the gateway reads; bigger ones close the socket with 1009. */
export const MAX_FRAME_BYTES = 1024 * 1024;
export const MAX_EVENTS_PER_BATCH = 500;
/** Batches an agent may have sent but not yet had acked; more is a protocol error. */
export const MAX_IN_FLIGHT_BATCHES = 8;
export const MAX_SERVERS_PER_AGENT = 200;
export const HELLO_TIMEOUT_MS = 10_000;
export const HEARTBEAT_INTERVAL_MS = 15_000;
/** Invalid frames tolerated per connection per minute before it is closed. */
export const MAX_BAD_FRAMES_PER_MINUTE = 20;
