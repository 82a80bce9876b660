import type { GatewayReporter, ReporterStatus } from "../gateway-reporter";

/** Resolves with the reporter's status once `accept` holds, checked on every status change. */
export function statusWhen(
  reporter: GatewayReporter,
  accept: (status: ReporterStatus) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<ReporterStatus> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const status = reporter.status();
      if (!accept(status)) return;
      finish();
      resolve(status);
    };
    const timer = setTimeout(() => {
      finish();
      reject(
        new Error(`timed out waiting for ${what}; status: ${JSON.stringify(reporter.status())}`),
      );
    }, timeoutMs);
    const unsubscribe = reporter.onStatusChange(check);
    const finish = () => {
      clearTimeout(timer);
      unsubscribe();
    };
    check();
  });
}

/**
 * Polls `probe` until `accept` holds (for state that sends no signal, such as rows written by the
 * gateway's fire-and-forget updates), failing at the deadline with the last value seen.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
