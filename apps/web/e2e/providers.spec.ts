import { GATEWAY_PORTS } from "../playwright.config";
import { httpCall, reportEvents } from "./agent-client";
import { countDialogs, createApiKey, expect, originOf, signUpThroughUi, test } from "./fixtures";

test("providers: an unknown host reported through the gateway is flagged; Block adds a deny rule", async ({
  page,
  baseURL,
}) => {
  await signUpThroughUi(page);
  await page.goto("/providers");
  await expect(page.getByText("No outbound calls seen yet")).toBeVisible();

  const apiKey = await createApiKey(page.request, baseURL);
  await reportEvents(GATEWAY_PORTS[1] as number, apiKey, [
    httpCall({ host: "api.unknown-vendor.example", path: "/v1/upload", durationMs: 120 }),
    httpCall({ host: "api.unknown-vendor.example", path: "/v1/upload", status: 500 }),
    httpCall({ host: "slack.com" }),
  ]);

  await page.reload();
  await expect(page.getByTestId("unknown-hosts-banner")).toContainText("2 unknown hosts");
  const row = page.getByTestId("provider-row").filter({ hasText: "api.unknown-vendor.example" });
  await expect(row.getByTestId("provider-status")).toHaveText("⚠ Unknown");
  const cells = row.locator("td");
  await expect(cells.nth(6)).toHaveText(/^1[12]\d ms$/); // p95 of 42 ms and 120 ms, within 5%
  await expect(cells.nth(3)).toHaveText("2"); // calls
  await expect(cells.nth(4)).toHaveText("1"); // errors
  // At the default 1280-px window the actions fit without scrolling the table sideways.
  await expect(row.getByRole("button", { name: "Block" })).toBeInViewport({ ratio: 1 });
  await expect(
    page.getByTestId("provider-group").filter({ hasText: "unknown-vendor.example" }),
  ).toBeVisible();

  await row.getByRole("button", { name: "Block" }).click();
  await expect(page.getByTestId("provider-confirm")).toContainText("api.unknown-vendor.example/*");
  await page.getByRole("button", { name: "Confirm block" }).click();
  await expect(row.getByTestId("provider-status")).toHaveText("Blocked");
  await expect(row).toContainText("org:Blocked#0");

  const flows = await (await page.request.get("/api/flows")).json();
  expect(flows.version).toBe(1);
  expect(flows.yaml).toContain("Blocked:");
  expect(flows.yaml).toContain("value: deny");
  expect(flows.yaml).toContain("- api.unknown-vendor.example/*");
  expect(flows.mode).toBe("visibility");

  // The first approval creates an allowlist, and says so before doing it.
  const slack = page.getByTestId("provider-row").filter({ hasText: "slack.com" });
  await slack.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("provider-confirm")).toContainText(
    "Your organization has no allowlist yet.",
  );
  await page.getByRole("button", { name: "Create the allowlist and approve" }).click();
  await expect(slack.getByTestId("provider-status")).toHaveText("Approved");
  await expect(slack).toContainText("org:Approved#0");
  await page.goto("/flows");
  await expect(page.getByTestId("flows-version")).toHaveText("v2");
  await expect(page.getByTestId("flows-mode")).toHaveText("Allowlist (default-deny)");
});

test("providers: the 7-day window adds calls from days ago that the 24-hour one leaves out", async ({
  page,
  baseURL,
}) => {
  await signUpThroughUi(page);
  const apiKey = await createApiKey(page.request, baseURL);
  const threeDaysAgo = Date.now() - 3 * 24 * 60 * 60 * 1000;
  // A spool replayed days late: its hour is compacted into the hourly rollups the 7 d window reads.
  await reportEvents(GATEWAY_PORTS[0] as number, apiKey, [
    httpCall({ host: "api.weekly.example", ts: threeDaysAgo }),
    httpCall({ host: "api.weekly.example", ts: threeDaysAgo + 1_000, status: 502 }),
    httpCall({ host: "api.weekly.example" }),
  ]);
  await page.goto("/providers");
  const row = page.getByTestId("provider-row").filter({ hasText: "api.weekly.example" });
  const window = page.getByTestId("traffic-window");
  await expect(window.getByRole("button", { name: "24 h" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await expect(row.locator("td").nth(3)).toHaveText("1"); // calls in the last 24 hours
  await expect(row.locator("td").nth(4)).toHaveText("0"); // errors

  await window.getByRole("button", { name: "7 d" }).click();
  await expect(window.getByRole("button", { name: "7 d" })).toHaveAttribute("aria-pressed", "true");
  await expect(async () => {
    await page.reload(); // until the next compaction (every second here) has run
    await window.getByRole("button", { name: "7 d" }).click();
    await expect(row.locator("td").nth(3)).toHaveText("3", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(row.locator("td").nth(4)).toHaveText("1");
});

test("providers: a hostile host is shown as text and cannot be turned into a rule", async ({
  page,
  baseURL,
}) => {
  const dialogs = countDialogs(page);
  await signUpThroughUi(page);
  const apiKey = await createApiKey(page.request, baseURL);
  const hostile = "<img src=x onerror=alert(1)>.evil.example";
  await reportEvents(GATEWAY_PORTS[0] as number, apiKey, [httpCall({ host: hostile })]);
  await page.goto("/providers");
  const row = page.getByTestId("provider-row").filter({ hasText: hostile });
  await expect(row).toBeVisible();
  // No rule can name it: no buttons, and the API refuses it too.
  await expect(row).toContainText("not a valid host");
  await expect(row).toContainText("no rule possible");
  await expect(row.getByRole("button")).toHaveCount(0);
  const refused = await page.request.post("/api/providers/block", {
    headers: originOf(baseURL),
    data: { host: hostile },
  });
  expect(refused.status()).toBe(422);
  expect((await refused.json()).detail).toContain("no flows rule can name it");
  await page.reload();
  await expect(row.getByTestId("provider-status")).toHaveText("⚠ Unknown");
  expect((await (await page.request.get("/api/flows")).json()).version).toBe(0);
  expect(dialogs()).toBe(0);
});
