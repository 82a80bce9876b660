// WebSocket close codes the gateway uses (RFC 6455 leaves 4000–4999 to applications).
export const CLOSE_CODES = {
  /** Standard: the gateway is shutting down (drained first); reconnect elsewhere or later. */
  goingAway: 1001,
  /** Standard: a frame exceeded MAX_FRAME_BYTES. */
  messageTooBig: 1009,
  /** Standard: a text frame that is not valid UTF-8 (the WebSocket library closes it). */
  invalidPayload: 1007,
  /** Standard: the gateway failed unexpectedly while handling this connection; reconnect. */
  internalError: 1011,
  /** The API key was revoked while connected. Do not reconnect with it. */
  keyRevoked: 4003,
  /** Too many invalid frames, or a frame other than hello before hello. */
  badFrames: 4400,
  /** No hello within HELLO_TIMEOUT_MS. */
  helloTimeout: 4408,
  /** Another connection with the same agent id took over. */
  replaced: 4409,
  /** None of the protocol versions offered in hello is spoken here. */
  unsupportedProtocol: 4426,
  /** The agent did not read what the gateway sent (acks piled up), or exceeded in-flight batches. */
  slowConsumer: 4429,
} as const;
export type TCloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];
