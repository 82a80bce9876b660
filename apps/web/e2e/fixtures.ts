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
