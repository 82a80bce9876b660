import { createSession, createUserWithOrganization, EmailTakenError } from "@lunar/db";
import { AppError, type TSignupInput } from "@lunar/shared";
import { db } from "@/lib/db";
import { hashPassword } from "./password";

export async function signUp(input: TSignupInput, meta: { userAgent?: string; ip?: string }) {
  const passwordHash = await hashPassword(input.password);
  const organizationName = input.organizationName ?? `${input.email.split("@")[0]}'s organization`;
  try {
    const { user, organization } = await createUserWithOrganization(db(), {
      email: input.email,
      passwordHash,
      organizationName,
    });
    const session = await createSession(db(), { userId: user.id, ...meta });
    return { user, organization, session };
  } catch (error) {
    if (error instanceof EmailTakenError) {
      throw new AppError(
        "email_taken",
        "An account with this email already exists. Log in instead.",
      );
    }
    throw error;
  }
}
