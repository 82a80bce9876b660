/** RFC 6455 allows 123 bytes of close reason; ws throws past it. */
const MAX_CLOSE_REASON_BYTES = 123;

/** The reason cut to what a close frame can carry, never splitting a character. */
export function closeReason(reason: string): string {
  let cut = reason.slice(0, MAX_CLOSE_REASON_BYTES).toWellFormed();
  while (Buffer.byteLength(cut) > MAX_CLOSE_REASON_BYTES) cut = [...cut].slice(0, -1).join("");
  return cut;
}
