import { NAV_ITEMS } from "../src/modules/shell/components/nav-items";
import { expect, PASSWORD, signUpThroughUi, test, uniqueEmail } from "./fixtures";

test("logged out, every dashboard page sends you to the login page", async ({ page }) => {
  for (const item of NAV_ITEMS) {
    await page.goto(item.href);
    await expect(page).toHaveURL(/\/login$/);
  }
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
});

test("log out, then protected pages send you to login; log back in", async ({ page }) => {
  const email = await signUpThroughUi(page);
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
  for (const item of NAV_ITEMS) {
    await expect(page.getByRole("link", { name: item.label, exact: true })).toBeVisible();
  }

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/login$/);

  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByRole("heading", { name: "No agent has reported yet" })).toBeVisible();
});

test("a wrong password shows an error and keeps you on the login page", async ({ page }) => {
  const email = await signUpThroughUi(page);
  await page.getByRole("button", { name: "Log out" }).click();
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "email or password is not right" }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});

test("signing up twice with one email tells you to log in instead", async ({ page }) => {
  const email = await signUpThroughUi(page);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/signup");
  await page.getByLabel("Work email").fill(email.toUpperCase());
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "already exists" })).toBeVisible();
});

test("a too-short password is refused beside the field", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Work email").fill(uniqueEmail());
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Password must be at least 10 characters").first()).toBeVisible();
  await expect(page).toHaveURL(/\/signup$/);
});

test("without JavaScript the forms cannot submit, so a password never lands in a URL", async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  for (const [path, submit] of [
    ["/signup", "Create account"],
    ["/login", "Log in"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByLabel("Work email")).toBeVisible();
    await expect(page.getByRole("button", { name: submit })).toBeDisabled();
  }
  await context.close();
});

test("the session cookie is httpOnly and SameSite=Lax", async ({ page, context }) => {
  await signUpThroughUi(page);
  const cookie = (await context.cookies()).find((c) => c.name === "lunar_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
});
