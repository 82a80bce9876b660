// Which database failures are worth retrying as they are, and which say something about the data.
// A transient failure (Postgres restarting, the connection cut, a deadlock or serialization
// conflict, resources exhausted) costs a retry with backoff; anything else may be caused by one
// row, so the ingest splits the batch to find it instead of retrying it forever.

/** SQLSTATE classes that describe the server or the connection, never the data. */
const TRANSIENT_SQLSTATE_CLASSES = new Set([
  "08", // connection exception
  "40", // transaction rollback (serialization failure, deadlock)
  "53", // insufficient resources
  "57", // operator intervention (admin shutdown, cannot connect now)
  "58", // system error (I/O)
]);

const CONNECTION_MESSAGES =
  /connection (terminated|ended|timeout|refused|reset)|terminated unexpectedly|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed/i;

export function isTransientDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") {
    if (/^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2));
    // Node system errors of the socket: ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE…
    if (/^E[A-Z]+$/.test(code)) return true;
  }
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" && CONNECTION_MESSAGES.test(message);
}

/**
 * The row's day has no partition yet (partition maintenance is behind): not the event's fault.
 * The ingest creates the partitions and retries instead of keeping the event as a dead letter.
 */
export function isMissingPartitionError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === "23514" && typeof message === "string" && message.includes("no partition");
}
