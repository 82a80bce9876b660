import { GATEWAY_PORTS } from "../playwright.config";
import { httpCall, reportEvents } from "./agent-client";
import { countDialogs, createApiKey, expect, signUpThroughUi, test } from "./fixtures";

test("live logs show calls that arrive at either of two gateways, as they arrive", async ({
  page,
  baseURL,
}) => {
  await signUpThroughUi(page);
  const apiKey = await createApiKey(page.request, baseURL);
  await page.goto("/live");
  await expect(page.getByTestId("live-status")).toHaveText("Live");

  const [first, second] = GATEWAY_PORTS as [number, number];
  await reportEvents(first, apiKey, [httpCall({ host: "slack.com" })]);
  await reportEvents(second, apiKey, [
    httpCall({
      host: "api.badactor.com",
      path: "/steal_data",
      status: 403,
      decision: "blocked",
      rule: "org:AllowFilter",
    }),
  ]);

  const rows = page.getByTestId("live-event");
  await expect(rows.filter({ hasText: "slack.com/api/chat.postMessage" })).toBeVisible();
  const blocked = rows.filter({ hasText: "api.badactor.com/steal_data" });
  await expect(blocked).toBeVisible();
  await expect(blocked).toContainText("blocked");
});

test("opening live logs shows the last stored calls that match, then new ones as they arrive", async ({
  page,
  baseURL,
}) => {
  await signUpThroughUi(page);
  const apiKey = await createApiKey(page.request, baseURL);
  // Stored (acked) before the page is opened.
  await reportEvents(GATEWAY_PORTS[0] as number, apiKey, [
    httpCall({ host: "slack.com", path: "/api/chat.postMessage" }),
    httpCall({ host: "slack.com", path: "/api/users.list" }),
    httpCall({ host: "api.github.com", path: "/user" }),
  ]);

  await page.goto(`/live?host=slack.com&endpoint=${encodeURIComponent("/api/chat.postMessage")}`);
  await expect(page.getByLabel("Endpoint or tool")).toHaveValue("/api/chat.postMessage");
  const rows = page.getByTestId("live-event");
  await expect(rows.filter({ hasText: "slack.com/api/chat.postMessage" })).toHaveCount(1);
  await expect(page.getByTestId("live-status")).toHaveText("Live");
  await expect(rows).toHaveCount(1);

  await reportEvents(GATEWAY_PORTS[1] as number, apiKey, [
    httpCall({ host: "slack.com", path: "/api/chat.postMessage", status: 500 }),
    httpCall({ host: "slack.com", path: "/api/users.list" }),
  ]);
  await expect(rows).toHaveCount(2);
  // Newest first: the call that just arrived is the top row.
  await expect(rows.first().getByRole("cell").nth(3)).toHaveText("500");
});

test("a hostile host name is shown as text, and filters narrow the stream", async ({
  page,
  baseURL,
}) => {
  const dialogs = countDialogs(page);
  await signUpThroughUi(page);
  const apiKey = await createApiKey(page.request, baseURL);
  await page.goto("/live");
  await page.getByLabel("Decision").selectOption("blocked");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("live-status")).toHaveText("Live");
  // The address follows the form, so the filtered view can be reloaded or shared.
  await expect(page).toHaveURL(/\/live\?decision=blocked$/);

  const hostile = "<img src=x onerror=alert(1)>.evil.example";
  await reportEvents(GATEWAY_PORTS[0] as number, apiKey, [
    httpCall({ host: "allowed.example" }),
    httpCall({
      host: hostile,
      // A long call is cut short in its cell, not allowed to push the other columns out of view.
      path: `/${"exfiltrate".repeat(30)}`,
      decision: "blocked",
      status: 403,
      rule: "org:AllowFilter",
    }),
  ]);
  const blockedRow = page.getByTestId("live-event").filter({ hasText: hostile });
  await expect(blockedRow).toBeVisible();
  await expect(blockedRow.getByText("blocked", { exact: true })).toBeInViewport({ ratio: 1 });
  await expect(page.getByTestId("live-event").filter({ hasText: "allowed.example" })).toHaveCount(
    0,
  );
  expect(dialogs()).toBe(0);
});

test("another org's events never reach this org's live logs", async ({
  page,
  browser,
  baseURL,
}) => {
  await signUpThroughUi(page);
  await page.goto("/live");
  await expect(page.getByTestId("live-status")).toHaveText("Live");

  const other = await browser.newPage();
  await signUpThroughUi(other);
  const otherKey = await createApiKey(other.request, baseURL);
  await other.goto("/live");
  await expect(other.getByTestId("live-status")).toHaveText("Live");
  await reportEvents(GATEWAY_PORTS[0] as number, otherKey, [
    httpCall({ host: "other-org.example" }),
  ]);
  await expect(
    other.getByTestId("live-event").filter({ hasText: "other-org.example" }),
  ).toBeVisible();
  await expect(page.getByTestId("live-event")).toHaveCount(0);
  await other.close();
});
