import { randomUUID } from "node:crypto";
import { test as base, expect, type Page } from "@playwright/test";

export const PASSWORD = "correct horse battery";

/** A unique address per test, so tests never share accounts. */
export function uniqueEmail(label = "user"): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

/** Signs up through the real form and waits for the dashboard. */
export async function signUpThroughUi(page: Page, email = uniqueEmail()): Promise<string> {
  await page.goto("/signup");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/overview$/);
  return email;
}

/** Dismisses and counts alert/confirm/prompt dialogs: a rendered hostile name must open none. */
export function countDialogs(page: Page): () => number {
  let dialogs = 0;
  page.on("dialog", async (dialog) => {
    dialogs++;
    await dialog.dismiss();
  });
  return () => dialogs;
}

export const test = base;
export { expect };

/** The Origin header a write needs (the API's CSRF rule). */
export function originOf(baseURL: string | undefined): { origin: string } {
  return { origin: new URL(baseURL ?? "").origin };
}

/** Creates an API key through the API with the page's session and returns its secret. */
export async function createApiKey(
  request: import("@playwright/test").APIRequestContext,
  baseURL: string | undefined,
  name = "e2e",
): Promise<string> {
  const response = await request.post("/api/keys", { headers: originOf(baseURL), data: { name } });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { secret: string }).secret;
}

/** A refusal as the API documents it: the status, problem+json, the code, the request id. */
export async function expectProblem(
  response: import("@playwright/test").APIResponse,
  status: number,
  code: string,
): Promise<{ detail: string; errors?: { path: string; message: string }[] }> {
  expect(response.status()).toBe(status);
  expect(response.headers()["content-type"]).toContain("application/problem+json");
  const body = await response.json();
  expect(body).toMatchObject({ status, code });
  expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(response.headers()["x-request-id"]).toBe(body.requestId);
  return body;
}

/** Signs up through the API with this request context (its cookie jar keeps the session). */
export async function signUpThroughApi(
  request: import("@playwright/test").APIRequestContext,
  baseURL: string | undefined,
  email = uniqueEmail(),
): Promise<string> {
  const response = await request.post("/api/auth/signup", {
    headers: originOf(baseURL),
    data: { email, password: PASSWORD },
  });
  expect(response.status()).toBe(201);
  return email;
}
