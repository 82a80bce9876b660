import { expect, signUpThroughUi, test } from "./fixtures";

test("sign up, create a key shown once, see it listed by prefix, revoke it", async ({ page }) => {
  await signUpThroughUi(page);
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys", exact: true })).toBeVisible();
  await expect(page.getByText("No API keys yet")).toBeVisible();

  await page.getByLabel("New key name").fill("alice-laptop");
  await page.getByRole("button", { name: "Create key" }).click();

  const secret = page.getByTestId("new-key-secret");
  await expect(secret).toHaveText(/^lunar_[0-9A-Za-z]{38}$/);
  const secretText = (await secret.textContent()) ?? "";
  const row = page.getByTestId("api-key-row").filter({ hasText: "alice-laptop" });
  await expect(row).toContainText(`${secretText.slice(0, 12)}…`);
  await expect(row).toContainText("Active");
  await expect(row).not.toContainText(secretText);

  // Shown once: after a reload the secret is gone for good, the key is still listed.
  await page.reload();
  await expect(page.getByTestId("new-key-secret")).toHaveCount(0);
  await expect(page.getByText(secretText)).toHaveCount(0);
  await expect(row).toContainText(secretText.slice(0, 12));

  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByRole("button", { name: "Confirm revoke" }).click();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: "Revoke" })).toHaveCount(0);

  await page.reload();
  await expect(page.getByTestId("api-key-row").filter({ hasText: "alice-laptop" })).toContainText(
    "Revoked",
  );
});

test("a hostile key name is shown as text, never run", async ({ page }) => {
  let dialogs = 0;
  page.on("dialog", async (dialog) => {
    dialogs++;
    await dialog.dismiss();
  });
  await signUpThroughUi(page);
  await page.goto("/keys");
  const hostile = `<img src=x onerror="alert(1)"><script>alert(2)</script>`;
  await page.getByLabel("New key name").fill(hostile);
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("api-key-row").first()).toContainText(hostile);
  await page.reload();
  await expect(page.getByTestId("api-key-row").first()).toContainText(hostile);
  expect(dialogs).toBe(0);
});

test("an empty key name is refused with a message", async ({ page }) => {
  await signUpThroughUi(page);
  await page.goto("/keys");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Give the key a name" })).toBeVisible();
  await expect(page.getByTestId("api-key-row")).toHaveCount(0);
});
