import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserWithOrganization } from "../accounts/create-user-with-organization";
import { createDb, type Db } from "../client";
import { createTestDatabase, type TestDatabase } from "../testing";
import { listDeadLetters } from "./list-dead-letters";

describe("listDeadLetters", () => {
  let database: TestDatabase;
  let db: Db;
  let orgA: string;
  let orgB: string;
  const agentA = randomUUID();
  const gone = randomUUID();

  function letter(orgId: string, agentId: string, seconds: number, reason: string) {
    return {
      orgId,
      agentId,
      eventId: randomUUID(),
      kind: "http_call",
      reason,
      payload: JSON.stringify({ id: "x", type: "http_call", path: "/a\u0000b" }),
      receivedAt: new Date(Date.UTC(2026, 11, 6, 0, 0, seconds)),
    };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
    const make = (name: string) =>
      createUserWithOrganization(db, {
        email: `${name}@example.com`,
        passwordHash: "x",
        organizationName: name,
      });
    orgA = (await make("a")).organization.id;
    orgB = (await make("b")).organization.id;
    await db.agent.create({
      data: { orgId: orgA, id: agentA, name: "alice-laptop", version: "1" },
    });
    await db.deadLetterEvent.createMany({
      data: [
        letter(orgA, agentA, 1, "first"),
        letter(orgA, gone, 3, "third"),
        letter(orgA, agentA, 2, "second"),
        letter(orgB, agentA, 4, "other org"),
      ],
    });
  });
  afterAll(async () => {
    await db.$disconnect();
    await database.drop();
  });

  it("lists the org's own dead letters newest first, with the agent's name and the total", async () => {
    const page = await listDeadLetters(db, orgA, 100);
    expect(page.total).toBe(3);
    expect(page.deadLetters.map((row) => row.reason)).toEqual(["third", "second", "first"]);
    expect(page.deadLetters[1]).toMatchObject({
      agentId: agentA,
      agentName: "alice-laptop",
      kind: "http_call",
      receivedAt: "2026-12-06T00:00:02.000Z",
    });
    // The payload is the stored JSON text, its escapes intact.
    expect(JSON.parse(page.deadLetters[0]?.payload ?? "").path).toBe("/a\u0000b");
  });

  it("names no agent when its row is gone, and never another org's agent", async () => {
    const page = await listDeadLetters(db, orgA, 100);
    expect(page.deadLetters[0]).toMatchObject({ agentId: gone, agentName: null });
    const other = await listDeadLetters(db, orgB, 100);
    expect(other.deadLetters).toHaveLength(1);
    expect(other.deadLetters[0]).toMatchObject({ reason: "other org", agentName: null });
  });

  it("returns at most `limit`, the newest, and still counts them all", async () => {
    const page = await listDeadLetters(db, orgA, 2);
    expect(page.total).toBe(3);
    expect(page.deadLetters.map((row) => row.reason)).toEqual(["third", "second"]);
  });
});
