import { generateApiKey } from "@lunar/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserWithOrganization } from "../accounts/create-user-with-organization";
import { createDb, type Db } from "../client";
import { createTestDatabase, type TestDatabase } from "../testing";
import { createApiKey } from "./create-api-key";
import { listApiKeys } from "./list-api-keys";
import { revokeApiKey } from "./revoke-api-key";
import { verifyApiKey } from "./verify-api-key";

describe("API keys", () => {
  let database: TestDatabase;
  let db: Db;
  let orgA: { orgId: string; userId: string };
  let orgB: { orgId: string; userId: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
    const a = await createUserWithOrganization(db, {
      email: "a@example.com",
      passwordHash: "x",
      organizationName: "A",
    });
    const b = await createUserWithOrganization(db, {
      email: "b@example.com",
      passwordHash: "x",
      organizationName: "B",
    });
    orgA = { orgId: a.organization.id, userId: a.user.id };
    orgB = { orgId: b.organization.id, userId: b.user.id };
  });
  afterAll(async () => {
    await db.$disconnect();
    await database.drop();
  });

  it("stores only the hash and prefix of a new key, never the secret", async () => {
    const { key, secret } = await createApiKey(db, {
      ...orgA,
      createdById: orgA.userId,
      name: "laptop",
    });
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(secret.startsWith(row.prefix)).toBe(true);
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("verifies a live key to its org", async () => {
    const { secret } = await createApiKey(db, { ...orgA, createdById: orgA.userId, name: "ci" });
    const result = await verifyApiKey(db, secret);
    expect(result).toMatchObject({ ok: true, orgId: orgA.orgId });
  });

  it("rejects a mistyped key by checksum, before any lookup", async () => {
    const { secret } = await createApiKey(db, { ...orgA, createdById: orgA.userId, name: "typo" });
    const typo = `${secret.slice(0, 12)}${secret[12] === "x" ? "y" : "x"}${secret.slice(13)}`;
    expect(await verifyApiKey(db, typo)).toEqual({ ok: false, reason: "malformed" });
  });

  it("rejects a well-formed key that was never issued", async () => {
    expect(await verifyApiKey(db, generateApiKey().secret)).toEqual({
      ok: false,
      reason: "unknown",
    });
  });

  it("rejects a revoked key, and revoking keeps the first revocation time", async () => {
    const { key, secret } = await createApiKey(db, {
      ...orgA,
      createdById: orgA.userId,
      name: "old",
    });
    expect(await revokeApiKey(db, { orgId: orgA.orgId, keyId: key.id })).toBe(true);
    const first = (await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt;
    expect(await revokeApiKey(db, { orgId: orgA.orgId, keyId: key.id })).toBe(true);
    const second = (await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt;
    expect(second).toEqual(first);
    expect(await verifyApiKey(db, secret)).toEqual({ ok: false, reason: "revoked" });
  });

  it("never lets one org list or revoke another org's key", async () => {
    const { key, secret } = await createApiKey(db, {
      ...orgB,
      createdById: orgB.userId,
      name: "b-key",
    });
    expect(await revokeApiKey(db, { orgId: orgA.orgId, keyId: key.id })).toBe(false);
    expect((await listApiKeys(db, orgA.orgId)).map((k) => k.id)).not.toContain(key.id);
    expect(await verifyApiKey(db, secret)).toMatchObject({ ok: true, orgId: orgB.orgId });
  });

  it("records last use on first verification and does not write again within the minute", async () => {
    const { key, secret } = await createApiKey(db, {
      ...orgA,
      createdById: orgA.userId,
      name: "busy",
    });
    await verifyApiKey(db, secret);
    const firstUse = (await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt;
    expect(firstUse).not.toBeNull();
    // Set it back by 30 s: a second verification inside the minute must leave it alone.
    const earlier = new Date((firstUse as Date).getTime() - 30_000);
    await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: earlier } });
    await verifyApiKey(db, secret);
    const after = (await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt;
    expect(after).toEqual(earlier);
  });
});
