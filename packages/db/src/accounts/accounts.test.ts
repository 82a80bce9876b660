import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client";
import { createTestDatabase, type TestDatabase } from "../testing";
import { createUserWithOrganization, EmailTakenError } from "./create-user-with-organization";
import { clearLoginFailures, lockedForSeconds, recordLoginFailure } from "./login-throttle";
import { createSession, deleteSession, findSessionContext } from "./sessions";

describe("accounts", () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
  });
  afterAll(async () => {
    await db.$disconnect();
    await database.drop();
  });

  it("creates a user with an organization and an owner membership", async () => {
    const { user, organization } = await createUserWithOrganization(db, {
      email: "owner@example.com",
      passwordHash: "hash",
      organizationName: "Acme",
    });
    const membership = await db.membership.findFirstOrThrow({ where: { userId: user.id } });
    expect(membership).toMatchObject({ orgId: organization.id, role: "owner" });
  });

  it("refuses a second account with the same email and leaves no orphan organization", async () => {
    await createUserWithOrganization(db, {
      email: "dup@example.com",
      passwordHash: "h",
      organizationName: "One",
    });
    const orgsBefore = await db.organization.count();
    await expect(
      createUserWithOrganization(db, {
        email: "dup@example.com",
        passwordHash: "h",
        organizationName: "Two",
      }),
    ).rejects.toBeInstanceOf(EmailTakenError);
    expect(await db.organization.count()).toBe(orgsBefore);
  });

  it("resolves a session token to its user and org, and not after logout", async () => {
    const { user, organization } = await createUserWithOrganization(db, {
      email: "session@example.com",
      passwordHash: "h",
      organizationName: "S",
    });
    const { token } = await createSession(db, { userId: user.id });
    expect(await findSessionContext(db, token)).toMatchObject({
      user: { id: user.id },
      organization: { id: organization.id },
      role: "owner",
    });
    // Only the hash of the token is stored.
    expect(await db.session.count({ where: { id: token } })).toBe(0);
    await deleteSession(db, token);
    expect(await findSessionContext(db, token)).toBeNull();
    expect(await findSessionContext(db, "not-a-token")).toBeNull();
  });

  it("does not accept an expired session", async () => {
    const { user } = await createUserWithOrganization(db, {
      email: "exp@example.com",
      passwordHash: "h",
      organizationName: "E",
    });
    const { token } = await createSession(db, { userId: user.id });
    await db.session.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await findSessionContext(db, token)).toBeNull();
  });

  it("locks a key after the policy's failures in one window, and clearing unlocks it", async () => {
    const policy = { maxFailures: 3, windowMs: 60_000, lockMs: 120_000 };
    await recordLoginFailure(db, "account:x", policy);
    await recordLoginFailure(db, "account:x", policy);
    expect(await lockedForSeconds(db, "account:x")).toBe(0);
    await recordLoginFailure(db, "account:x", policy);
    const wait = await lockedForSeconds(db, "account:x");
    expect(wait).toBeGreaterThan(100);
    expect(wait).toBeLessThanOrEqual(120);
    await clearLoginFailures(db, "account:x");
    expect(await lockedForSeconds(db, "account:x")).toBe(0);
  });

  it("counts concurrent failures without losing any", async () => {
    const policy = { maxFailures: 1000, windowMs: 60_000, lockMs: 60_000 };
    await Promise.all(
      Array.from({ length: 20 }, () => recordLoginFailure(db, "ip:1.2.3.4", policy)),
    );
    const row = await db.loginThrottle.findUniqueOrThrow({ where: { key: "ip:1.2.3.4" } });
    expect(row.failures).toBe(20);
  });

  it("starts a new window once the old one has passed", async () => {
    const policy = { maxFailures: 2, windowMs: 60_000, lockMs: 60_000 };
    await recordLoginFailure(db, "account:y", policy);
    await db.loginThrottle.update({
      where: { key: "account:y" },
      data: { windowStartsAt: new Date(Date.now() - 120_000) },
    });
    await recordLoginFailure(db, "account:y", policy);
    const row = await db.loginThrottle.findUniqueOrThrow({ where: { key: "account:y" } });
    expect(row.failures).toBe(1);
    expect(row.lockedUntil).toBeNull();
  });
});
