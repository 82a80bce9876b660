import type { Db } from "../client";

export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** Seconds until `key` may try again, or 0 when it is not locked. */
export async function lockedForSeconds(db: Db, key: string): Promise<number> {
  const row = await db.loginThrottle.findUnique({ where: { key } });
  if (!row?.lockedUntil) return 0;
  const remaining = row.lockedUntil.getTime() - Date.now();
  return remaining > 0 ? Math.ceil(remaining / 1000) : 0;
}

/**
 * Counts one failed login for `key` in a fixed window, atomically (one statement, so concurrent
 * attempts on several web instances cannot lose counts), and locks the key when the window's
 * failures reach the policy's maximum.
 */
export async function recordLoginFailure(
  db: Db,
  key: string,
  policy: ThrottlePolicy,
): Promise<void> {
  await db.$executeRaw`
    INSERT INTO login_throttles (key, failures, window_starts_at, locked_until)
    VALUES (${key}, 1, now(), CASE WHEN 1 >= ${policy.maxFailures}
      THEN now() + make_interval(secs => ${policy.lockMs / 1000}) END)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN login_throttles.window_starts_at < now() - make_interval(secs => ${policy.windowMs / 1000})
        THEN 1 ELSE login_throttles.failures + 1 END,
      window_starts_at = CASE WHEN login_throttles.window_starts_at < now() - make_interval(secs => ${policy.windowMs / 1000})
        THEN now() ELSE login_throttles.window_starts_at END,
      locked_until = CASE
        WHEN login_throttles.window_starts_at >= now() - make_interval(secs => ${policy.windowMs / 1000})
          AND login_throttles.failures + 1 >= ${policy.maxFailures}
        THEN now() + make_interval(secs => ${policy.lockMs / 1000})
        ELSE login_throttles.locked_until END`;
}

export async function clearLoginFailures(db: Db, key: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}
