import {
  clearLoginFailures,
  createSession,
  findUserByEmail,
  releaseLoginAttempt,
  takeLoginAttempt,
} from "@lunar/db";
import { AppError, type TLoginInput } from "@lunar/shared";
import { db } from "@/lib/db";
import { dummyPasswordHash, verifyPassword } from "./password";

// Per account: a handful of guesses, then a pause. Per IP: more room (offices share an address).
export const ACCOUNT_POLICY = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const IP_POLICY = { maxFailures: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export async function logIn(input: TLoginInput, meta: { userAgent?: string; ip: string }) {
  const accountKey = `account:${input.email}`;
  const ipKey = `ip:${meta.ip}`;
  // Counted before the password is checked, so parallel guesses cannot outrun the limit.
  const wait = Math.max(
    await takeLoginAttempt(db(), accountKey, ACCOUNT_POLICY),
    await takeLoginAttempt(db(), ipKey, IP_POLICY),
  );
  if (wait > 0) {
    throw new AppError("rate_limited", `Too many failed logins. Try again in ${wait} seconds.`, {
      retryAfterSeconds: wait,
    });
  }

  const user = await findUserByEmail(db(), input.email);
  const valid = await verifyPassword(
    user?.passwordHash ?? (await dummyPasswordHash()),
    input.password,
  );
  if (!user || !valid)
    throw new AppError("invalid_credentials", "The email or password is not right");

  await clearLoginFailures(db(), accountKey);
  await releaseLoginAttempt(db(), ipKey);
  const session = await createSession(db(), {
    userId: user.id,
    userAgent: meta.userAgent,
    ip: meta.ip,
  });
  return { user, session };
}
