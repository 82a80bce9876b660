import type { Db } from "../client";

export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/**
 * Counts a login attempt for `key` before the password is checked, in one statement, and says
 * how many seconds the key is locked (0 = go ahead). Counting first means concurrent guesses on
 * several web instances cannot slip past the limit between a check and a count. A successful
 * login gives its attempt back (`releaseLoginAttempt`) or clears the account (`clearLoginFailures`).
 */
export async function takeLoginAttempt(
  db: Db,
  key: string,
  policy: ThrottlePolicy,
): Promise<number> {
  const windowSecs = policy.windowMs / 1000;
  const lockSecs = policy.lockMs / 1000;
  const rows = await db.$queryRaw<{ locked_until: Date | null }[]>`
    INSERT INTO login_throttles AS t (key, failures, window_starts_at, locked_until)
    VALUES (${key}, 1, now(), CASE WHEN 1 > ${policy.maxFailures}
      THEN now() + make_interval(secs => ${lockSecs}) END)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE
        WHEN t.locked_until > now() THEN t.failures
        WHEN t.window_starts_at < now() - make_interval(secs => ${windowSecs}) THEN 1
        ELSE t.failures + 1 END,
      window_starts_at = CASE
        WHEN t.locked_until > now() THEN t.window_starts_at
        WHEN t.window_starts_at < now() - make_interval(secs => ${windowSecs}) THEN now()
        ELSE t.window_starts_at END,
      locked_until = CASE
        WHEN t.locked_until > now() THEN t.locked_until
        WHEN t.window_starts_at >= now() - make_interval(secs => ${windowSecs})
          AND t.failures + 1 > ${policy.maxFailures}
        THEN now() + make_interval(secs => ${lockSecs})
        ELSE NULL END
    RETURNING locked_until`;
  const lockedUntil = rows[0]?.locked_until;
  if (!lockedUntil) return 0;
  const remaining = lockedUntil.getTime() - Date.now();
  return remaining > 0 ? Math.ceil(remaining / 1000) : 0;
}

/** Gives back the attempt a successful login took (so an office's logins do not lock its IP). */
export async function releaseLoginAttempt(db: Db, key: string): Promise<void> {
  await db.$executeRaw`
    UPDATE login_throttles SET failures = GREATEST(failures - 1, 0)
    WHERE key = ${key} AND (locked_until IS NULL OR locked_until <= now())`;
}

export async function clearLoginFailures(db: Db, key: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key } });
}
