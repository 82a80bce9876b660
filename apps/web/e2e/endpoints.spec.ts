import { GATEWAY_PORTS } from "../playwright.config";
import { httpCall, reportEvents } from "./agent-client";
import { countDialogs, createApiKey, expect, signUpThroughUi, test } from "./fixtures";

const HOST = "api.endpoints-vendor.example";
// No digit in it: a long segment with digits and letters would be collapsed to {id}.
const HOSTILE_TEMPLATE = "/<img src=x onerror=alert(document.cookie)>";

test("endpoints: a provider's host page lists its endpoints with their traffic, each linked to its live logs", async ({
  page,
  baseURL,
}) => {
  const dialogs = countDialogs(page);
  await signUpThroughUi(page);
  const apiKey = await createApiKey(page.request, baseURL);
  await reportEvents(GATEWAY_PORTS[0] as number, apiKey, [
    httpCall({ host: HOST, method: "GET", path: "/v1/users/123", server: "crm" }),
    httpCall({
      host: HOST,
      method: "GET",
      path: "/v1/users/456?page=2",
      server: "crm",
      status: 500,
    }),
    httpCall({ host: HOST, method: "GET", path: "/v1/users/789", server: "slack" }),
    httpCall({
      host: HOST,
      method: "POST",
      path: "/v1/upload",
      decision: "blocked",
      rule: "org:Blocked#0",
      status: null,
    }),
    httpCall({ host: HOST, method: "GET", path: HOSTILE_TEMPLATE }),
    // Seen two days ago only: listed in the 24-hour window with no calls.
    httpCall({ host: HOST, method: "DELETE", path: "/v1/old", ts: Date.now() - 2 * 86_400_000 }),
    httpCall({ host: "slack.com", path: "/not/this/host" }),
  ]);

  await page.goto("/providers");
  await page.getByRole("link", { name: HOST, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/providers/${HOST.replaceAll(".", "\\.")}$`));
  await expect(page.getByTestId("host-name")).toHaveText(HOST);
  await expect(page.getByTestId("provider-status")).toHaveText("⚠ Unknown");
  await expect(page.getByRole("link", { name: "← Providers" })).toHaveAttribute(
    "href",
    "/providers",
  );

  // Most calls first, then by method and template.
  await expect(page.getByTestId("endpoint-template")).toHaveText([
    "/v1/users/{id}",
    HOSTILE_TEMPLATE,
    "/v1/upload",
    "/v1/old",
  ]);
  await expect(page.getByTestId("endpoint-method")).toHaveText(["GET", "GET", "POST", "DELETE"]);
  const row = (template: string) =>
    page.getByTestId("endpoint-row").filter({
      has: page.getByTestId("endpoint-template").getByText(template, { exact: true }),
    });
  const expectCounts = async (template: string, calls: string, errors: string, blocked: string) => {
    await expect(row(template).getByTestId("endpoint-calls")).toHaveText(calls);
    await expect(row(template).getByTestId("endpoint-errors")).toHaveText(errors);
    await expect(row(template).getByTestId("endpoint-blocked")).toHaveText(blocked);
  };
  await expectCounts("/v1/users/{id}", "3", "1", "0");
  await expectCounts("/v1/upload", "1", "0", "1");
  await expectCounts(HOSTILE_TEMPLATE, "1", "0", "0");
  await expectCounts("/v1/old", "0", "0", "0");
  await expect(
    row("/v1/users/{id}").getByTestId("endpoint-servers").getByRole("listitem"),
  ).toHaveText(["crm", "slack"]);
  await expect(row("/v1/users/{id}").getByTestId("endpoint-p95")).toHaveText(/^4\d ms$/);
  await expect(row("/v1/old").getByTestId("endpoint-p95")).toHaveText("–");

  // The hostile template is text: no element made from it, no script run.
  await expect(page.locator("img[src='x']")).toHaveCount(0);
  expect(dialogs()).toBe(0);

  for (const template of ["/v1/users/{id}", HOSTILE_TEMPLATE]) {
    await expect(row(template).getByRole("link", { name: /^Live logs of GET / })).toHaveAttribute(
      "href",
      `/live?${new URLSearchParams({ host: HOST, endpoint: template })}`,
    );
  }

  // Another window is fetched through the API (the host path-encoded) and keeps every endpoint.
  const window = page.getByTestId("traffic-window");
  await window.getByRole("button", { name: "30 d" }).click();
  await expect(window.getByRole("button", { name: "30 d" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await expect(page.getByRole("status")).toHaveCount(0);
  await expect(page.getByTestId("endpoint-row")).toHaveCount(4);
  await expectCounts("/v1/users/{id}", "3", "1", "0");
  expect(dialogs()).toBe(0);
});

test("endpoints: GET /api/providers/{host}/endpoints checks the window and host, and knows only the org's hosts", async ({
  page,
  baseURL,
}) => {
  await signUpThroughUi(page);
  const apiKey = await createApiKey(page.request, baseURL);
  await reportEvents(GATEWAY_PORTS[1] as number, apiKey, [
    httpCall({ host: HOST, method: "GET", path: "/v2/items/42", status: 404, durationMs: 80 }),
  ]);
  const api = (host: string, query = "") =>
    page.request.get(`/api/providers/${encodeURIComponent(host)}/endpoints${query}`);

  // The host as written in any case is the stored, lower-case one.
  const ok = await api(HOST.toUpperCase(), "?window=7d");
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({
    window: "7d",
    truncated: false,
    provider: { host: HOST, domain: "endpoints-vendor.example", status: "unknown" },
    endpoints: [
      {
        method: "GET",
        template: "/v2/items/{id}",
        calls: 1,
        errors: 1,
        blocked: 0,
        serverCount: 1,
      },
    ],
  });

  const badWindow = await api(HOST, "?window=1y");
  expect(badWindow.status()).toBe(422);
  expect(badWindow.headers()["content-type"]).toBe("application/problem+json");
  expect((await badWindow.json()).code).toBe("validation_failed");

  const tooLong = await api(`${"a".repeat(250)}.com`);
  expect(tooLong.status()).toBe(422);

  for (const host of ["never-called.example", "<img src=x onerror=alert(1)>.evil.example"]) {
    const missing = await api(host);
    expect(missing.status()).toBe(404);
    expect(missing.headers()["content-type"]).toBe("application/problem+json");
    expect((await missing.json()).code).toBe("not_found");
  }
  const notFound = await page.goto("/providers/never-called.example");
  expect(notFound?.status()).toBe(404);
});

test("endpoints: a hostile host opens its own page and is shown as text", async ({
  page,
  baseURL,
}) => {
  const dialogs = countDialogs(page);
  await signUpThroughUi(page);
  const apiKey = await createApiKey(page.request, baseURL);
  const hostile = "<img src=x onerror=alert(1)>.evil.example";
  await reportEvents(GATEWAY_PORTS[0] as number, apiKey, [
    httpCall({ host: hostile, path: "/collect" }),
  ]);
  await page.goto("/providers");
  await page.getByRole("link", { name: hostile, exact: true }).click();
  await expect(page.getByTestId("host-name")).toHaveText(hostile);
  await expect(page.getByTestId("endpoint-template")).toHaveText(["/collect"]);
  await expect(page.getByRole("link", { name: /^Live logs of / })).toHaveAttribute(
    "href",
    `/live?${new URLSearchParams({ host: hostile, endpoint: "/collect" })}`,
  );
  await expect(page.locator("img[src='x']")).toHaveCount(0);
  expect(dialogs()).toBe(0);
});
