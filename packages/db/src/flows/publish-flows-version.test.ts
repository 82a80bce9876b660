import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserWithOrganization } from "../accounts/create-user-with-organization";
import { createDb, type Db } from "../client";
import { createTestDatabase, type TestDatabase } from "../testing";
import { FLOWS_CHANNEL } from "./flow-versions";
import { getCurrentFlows } from "./get-current-flows";
import { listFlowVersions } from "./list-flow-versions";
import { publishFlowsVersion } from "./publish-flows-version";

describe("publishFlowsVersion", () => {
  let database: TestDatabase;
  let db: Db;
  let listener: pg.Client;
  const notices: string[] = [];
  let orgA: { orgId: string; userId: string };
  let orgB: { orgId: string; userId: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
    listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    await listener.query(`LISTEN ${FLOWS_CHANNEL}`);
    listener.on("notification", (notice) => notices.push(notice.payload ?? ""));
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
    await db.provider.create({ data: { orgId: orgA.orgId, host: "evil.io", domain: "evil.io" } });
  });
  afterAll(async () => {
    await listener.end();
    await db.$disconnect();
    await database.drop();
  });

  it("stores version 1 with its author, NOTIFYs the gateways, and reads back as current", async () => {
    expect(await getCurrentFlows(db, orgA.orgId)).toEqual({
      version: 0,
      document: null,
      source: null,
    });
    const document = { Allow: { processor: "Filter", parameters: [] } };
    const result = await publishFlowsVersion(db, {
      orgId: orgA.orgId,
      document,
      createdById: orgA.userId,
      expectedVersion: 0,
    });
    expect(result).toEqual({ ok: true, version: 1 });
    expect(await getCurrentFlows(db, orgA.orgId)).toEqual({ version: 1, document, source: null });
    const history = await listFlowVersions(db, orgA.orgId);
    expect(history).toMatchObject([{ version: 1, author: "a@example.com" }]);
    await expect
      .poll(() => notices)
      .toContainEqual(JSON.stringify({ orgId: orgA.orgId, version: 1 }));
    expect(await listFlowVersions(db, orgB.orgId)).toEqual([]);
  });

  it("refuses a stale expected version without writing or notifying", async () => {
    const before = notices.length;
    const stale = await publishFlowsVersion(db, {
      orgId: orgA.orgId,
      document: null,
      createdById: orgA.userId,
      expectedVersion: 0,
    });
    expect(stale).toEqual({ ok: false, currentVersion: 1 });
    expect((await getCurrentFlows(db, orgA.orgId)).version).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(notices.length).toBe(before);
  });

  it("of two concurrent publishes on one version, exactly one wins", async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        publishFlowsVersion(db, {
          orgId: orgA.orgId,
          document: null,
          createdById: null,
          expectedVersion: 1,
        }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect((await getCurrentFlows(db, orgA.orgId)).version).toBe(2);
  });

  it("sets a provider's status in the same transaction, and a JSON null document is no flows", async () => {
    const result = await publishFlowsVersion(db, {
      orgId: orgA.orgId,
      document: null,
      createdById: orgA.userId,
      expectedVersion: 2,
      providerStatus: { host: "evil.io", status: "blocked" },
    });
    expect(result).toEqual({ ok: true, version: 3 });
    expect(await getCurrentFlows(db, orgA.orgId)).toEqual({
      version: 3,
      document: null,
      source: null,
    });
    const provider = await db.provider.findUnique({
      where: { orgId_host: { orgId: orgA.orgId, host: "evil.io" } },
    });
    expect(provider?.status).toBe("blocked");
  });

  it("keeps the document's key order and the YAML source as written, comments included", async () => {
    // Flow order names the allowlist in rule ids and is the order the editor shows.
    const document = {
      Zebra: { processor: "Filter", parameters: [{ key: "urls", value: ["z.example/*"] }] },
      Alpha: { processor: "Filter", parameters: [{ key: "urls", value: ["a.example/*"] }] },
    };
    const source = "# why Zebra first: our vendor list\nZebra:\n  processor: Filter\n";
    const result = await publishFlowsVersion(db, {
      orgId: orgB.orgId,
      document,
      source,
      createdById: orgB.userId,
      expectedVersion: 0,
    });
    expect(result).toEqual({ ok: true, version: 1 });
    const current = await getCurrentFlows(db, orgB.orgId);
    expect(Object.keys(current.document as object)).toEqual(["Zebra", "Alpha"]);
    expect(current.source).toBe(source);
    const { rows } = await listener.query<{ document: unknown }>(
      "SELECT document FROM flow_versions WHERE org_id = $1",
      [orgB.orgId],
    );
    expect(Object.keys(rows[0]?.document as object)).toEqual(["Zebra", "Alpha"]);
  });
});
