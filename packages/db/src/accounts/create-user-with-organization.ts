import type { Db } from "../client";

export class EmailTakenError extends Error {
  constructor() {
    super("An account with this email already exists");
    this.name = "EmailTakenError";
  }
}

/** Creates a user, their organization and the owner membership, all or nothing. */
export async function createUserWithOrganization(
  db: Db,
  input: { email: string; passwordHash: string; organizationName: string },
) {
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, passwordHash: input.passwordHash },
      });
      const organization = await tx.organization.create({ data: { name: input.organizationName } });
      await tx.membership.create({
        data: { orgId: organization.id, userId: user.id, role: "owner" },
      });
      return { user, organization };
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new EmailTakenError();
    throw error;
  }
}
