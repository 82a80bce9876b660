import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../client";
import { createTestDatabase, type TestDatabase } from "../testing";
import { createUserWithOrganization, EmailTakenError } from "./create-user-with-organization";
import { clearLoginFailures, releaseLoginAttempt, takeLoginAttempt } from "./login-throttle";
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

  it("slides the expiry at most hourly and says when it moved", async () => {
    const { user } = await createUserWithOrganization(db, {
      email: "slide@example.com",
      passwordHash: "h",
      organizationName: "S",
    });
    const { token, expiresAt } = await createSession(db, { userId: user.id });
    expect((await findSessionContext(db, token))?.refreshed).toBe(false);
    await db.session.updateMany({
      where: { userId: user.id },
      data: { lastSeenAt: new Date(Date.now() - 2 * 3_600_000) },
    });
    const context = await findSessionContext(db, token);
    expect(context?.refreshed).toBe(true);
    expect(context?.expiresAt.getTime()).toBeGreaterThanOrEqual(expiresAt.getTime());
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

  it("lets maxFailures attempts through in a window and locks the next one", async () => {
    const policy = { maxFailures: 3, windowMs: 60_000, lockMs: 120_000 };
    for (let i = 0; i < 3; i++) expect(await takeLoginAttempt(db, "account:x", policy)).toBe(0);
    const wait = await takeLoginAttempt(db, "account:x", policy);
    expect(wait).toBeGreaterThan(100);
    expect(wait).toBeLessThanOrEqual(120);
    // Locked attempts do not extend the lock.
    expect(await takeLoginAttempt(db, "account:x", policy)).toBeLessThanOrEqual(wait);
    await clearLoginFailures(db, "account:x");
    expect(await takeLoginAttempt(db, "account:x", policy)).toBe(0);
  });

  it("lets exactly maxFailures of many concurrent attempts through", async () => {
    const policy = { maxFailures: 5, windowMs: 60_000, lockMs: 60_000 };
    const waits = await Promise.all(
      Array.from({ length: 20 }, () => takeLoginAttempt(db, "account:race", policy)),
    );
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
  });

  it("gives back a successful login's attempt", async () => {
    const policy = { maxFailures: 2, windowMs: 60_000, lockMs: 60_000 };
    for (let i = 0; i < 10; i++) {
      expect(await takeLoginAttempt(db, "ip:office", policy)).toBe(0);
      await releaseLoginAttempt(db, "ip:office");
    }
  });

  it("starts a new window once the old one has passed", async () => {
    const policy = { maxFailures: 2, windowMs: 60_000, lockMs: 60_000 };
    await takeLoginAttempt(db, "account:y", policy);
    await db.loginThrottle.update({
      where: { key: "account:y" },
      data: { windowStartsAt: new Date(Date.now() - 120_000) },
    });
    await takeLoginAttempt(db, "account:y", policy);
    const row = await db.loginThrottle.findUniqueOrThrow({ where: { key: "account:y" } });
    expect(row.failures).toBe(1);
    expect(row.lockedUntil).toBeNull();
  });
});
