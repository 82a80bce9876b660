import { randomUUID } from "node:crypto";
import { e2eDb } from "./database";
import { expect, expectProblem, signUpThroughUi, test } from "./fixtures";

// The gateway keeps events the database refused in dead_letter_events; the org sees them on the
// agents page and through GET /api/dead-letters, and no other org does.

async function orgIdOf(request: import("@playwright/test").APIRequestContext): Promise<string> {
  return ((await (await request.get("/api/me")).json()) as { organization: { id: string } })
    .organization.id;
}

test("agents page: a rejected event is listed with its reason, time, agent and kind; another org sees none", async ({
  page,
  browser,
}) => {
  await signUpThroughUi(page);
  await page.goto("/agents");
  const panel = page.getByRole("region", { name: "Rejected events" });
  await expect(panel.getByTestId("dead-letters-count")).toHaveText("0 events");
  await expect(panel).toContainText("No event was rejected");

  const orgId = await orgIdOf(page.request);
  const agentId = randomUUID();
  const eventId = randomUUID();
  const reason = 'value too long for type character varying(8) <img src=x onerror="alert(1)">';
  await e2eDb().agent.create({ data: { orgId, id: agentId, name: "alice-laptop", version: "1" } });
  await e2eDb().deadLetterEvent.create({
    data: {
      orgId,
      agentId,
      eventId,
      kind: "http_call",
      reason,
      payload: JSON.stringify({ id: eventId, type: "http_call", host: "slack.com" }),
      receivedAt: new Date("2026-12-06T08:30:00Z"),
    },
  });

  await page.reload();
  await expect(panel.getByTestId("dead-letters-count")).toHaveText("1 event");
  const row = panel.getByTestId("dead-letter");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(reason);
  await expect(row).toContainText("alice-laptop");
  await expect(row).toContainText("http_call");
  await expect(row.locator("time")).toHaveAttribute("datetime", "2026-12-06T08:30:00.000Z");
  await row.getByText(`Event ${eventId}`).click();
  await expect(row).toContainText('"host":"slack.com"');

  const api = await (await page.request.get("/api/dead-letters")).json();
  expect(api).toMatchObject({
    total: 1,
    deadLetters: [{ eventId, reason, agentName: "alice-laptop" }],
  });

  const other = await browser.newPage();
  await signUpThroughUi(other);
  await other.goto("/agents");
  const otherPanel = other.getByRole("region", { name: "Rejected events" });
  await expect(otherPanel.getByTestId("dead-letters-count")).toHaveText("0 events");
  await expect(other.getByText(reason)).toHaveCount(0);
  expect(await (await other.request.get("/api/dead-letters")).json()).toEqual({
    total: 0,
    deadLetters: [],
  });
  await other.close();
});

test("GET /api/dead-letters – newest first, limit checked, session required", async ({ page }) => {
  await signUpThroughUi(page);
  const orgId = await orgIdOf(page.request);
  const agentId = randomUUID();
  await e2eDb().deadLetterEvent.createMany({
    data: [1, 2, 3].map((minute) => ({
      orgId,
      agentId,
      eventId: randomUUID(),
      kind: "tool_call",
      reason: `reason ${minute}`,
      payload: "{}",
      receivedAt: new Date(Date.UTC(2026, 11, 6, 8, minute)),
    })),
  });
  const newest = await (await page.request.get("/api/dead-letters?limit=2")).json();
  expect(newest.total).toBe(3);
  expect(newest.deadLetters.map((row: { reason: string }) => row.reason)).toEqual([
    "reason 3",
    "reason 2",
  ]);
  expect(newest.deadLetters[0]).toMatchObject({ agentId, agentName: null, kind: "tool_call" });
  for (const limit of ["0", "501", "abc"])
    await expectProblem(
      await page.request.get(`/api/dead-letters?limit=${limit}`),
      422,
      "validation_failed",
    );
  await expectProblem(
    await page.request.get("/api/dead-letters?org=other"),
    422,
    "validation_failed",
  );
  await page.context().clearCookies();
  await expectProblem(await page.request.get("/api/dead-letters"), 401, "unauthenticated");
});
