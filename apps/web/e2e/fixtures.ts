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

export const test = base;
export { expect };
