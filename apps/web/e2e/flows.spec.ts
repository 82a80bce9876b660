import { GATEWAY_PORTS } from "../playwright.config";
import { httpCall, reportEvents } from "./agent-client";
import { createApiKey, expect, signUpThroughUi, test } from "./fixtures";

const WITH_ERROR = `AllowFilter:
  processor: Filter
  parameters:
    - key: urls
      value:
        - slack.com/api/*
        - slack.com/api/chat.*
`;

test("flows: an error is shown at its line and column, the fix is saved as version 1, a URL is tested", async ({
  page,
}) => {
  const email = await signUpThroughUi(page);
  await page.getByRole("link", { name: "Flows" }).click();
  await expect(page.getByRole("heading", { name: "Flows", exact: true })).toBeVisible();
  await expect(page.getByTestId("flows-version")).toHaveText("None");
  await expect(page.getByTestId("flows-mode")).toHaveText("Visibility");
  // The example is offered, not saved.
  const editor = page.getByLabel("Flows YAML");
  await expect(editor).toHaveValue(/slack\.com\/api\/\*/);
  await expect(page.getByRole("heading", { name: "Example flows" })).toBeVisible();
  await expect(page.getByTestId("flows-history-row")).toHaveCount(0);

  await editor.fill(WITH_ERROR);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const error = page.getByTestId("flows-error");
  await expect(error).toHaveCount(1);
  await expect(error).toContainText("7:11");
  await expect(error).toContainText('"*" must be a whole path segment');
  await expect(error).toContainText("- slack.com/api/chat.*"); // the offending line, quoted
  await expect(page.getByTestId("editor-error-line")).toHaveText("7");
  await expect(page.getByTestId("flows-version")).toHaveText("None");

  await editor.fill(WITH_ERROR.replace("slack.com/api/chat.*", "maps.googleapis.com/*"));
  await page.getByRole("button", { name: "Save", exact: true }).click();
  // Turning on an allowlist is confirmed first: it blocks every other host.
  await expect(page.getByRole("alertdialog")).toContainText(
    "This turns on an allowlist for the whole organization.",
  );
  await page.getByRole("button", { name: "Save and enforce the allowlist" }).click();
  await expect(page.getByTestId("flows-saved")).toContainText("Saved as version 1");
  await expect(page.getByTestId("flows-error")).toHaveCount(0);
  await expect(page.getByTestId("flows-version")).toHaveText("v1");
  await expect(page.getByTestId("flows-mode")).toHaveText("Allowlist (default-deny)");
  const history = page.getByTestId("flows-history-row");
  await expect(history).toHaveCount(1);
  await expect(history.first()).toContainText("v1");
  await expect(history.first()).toContainText(email);

  const testBox = page.getByRole("region", { name: "Test a URL" });
  await testBox.getByLabel("URL").fill("https://api.badactor.com/stea_datal");
  await testBox.getByRole("button", { name: "Test" }).click();
  await expect(page.getByTestId("test-url-decision")).toHaveText("blocked");
  await expect(page.getByTestId("test-url-rule")).toHaveText("org:AllowFilter");
  await expect(page.getByTestId("test-url-result")).toContainText("403 · text/plain");
  await expect(page.getByTestId("test-url-result")).toContainText("Forbidden Access");
  await expect(page.getByTestId("test-url-not-considered")).toContainText("headers");

  await testBox.getByLabel("URL").fill("https://slack.com/api/chat.postMessage");
  await testBox.getByLabel("Method").selectOption("POST");
  await testBox.getByRole("button", { name: "Test" }).click();
  await expect(page.getByTestId("test-url-decision")).toHaveText("allowed");
  await expect(page.getByTestId("test-url-rule")).toHaveText("org:AllowFilter#0");

  // After a reload the stored version is shown, not the example.
  await page.reload();
  await expect(page.getByLabel("Flows YAML")).toHaveValue(/maps\.googleapis\.com\/\*/);
  await expect(page.getByLabel("Flows YAML")).not.toHaveValue(/Example flows/);
  await expect(page.getByTestId("flows-version")).toHaveText("v1");
});

test("flows: saving an empty document returns the organization to visibility mode", async ({
  page,
}) => {
  await signUpThroughUi(page);
  await page.goto("/flows");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("button", { name: "Save and enforce the allowlist" }).click();
  await expect(page.getByTestId("flows-version")).toHaveText("v1");

  await page.getByLabel("Flows YAML").fill("# nothing enforced\n");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("alertdialog")).toContainText("removes the organization's allowlist");
  await page.getByRole("button", { name: "Save and remove the allowlist" }).click();
  await expect(page.getByTestId("flows-version")).toHaveText("v2");
  await expect(page.getByTestId("flows-mode")).toHaveText("Visibility");
  // The author's comment is kept as written; the document itself is empty.
  await expect(page.getByLabel("Flows YAML")).toHaveValue("# nothing enforced\n");
});

const COMMENTED = `# Reviewed by security, Q3.
AllowFilter:
  processor: Filter
  parameters:
    - key: urls
      value:
        - slack.com/api/*   # the real Slack API
`;

test("flows: comments survive a reload and a Block from the providers page", async ({
  page,
  baseURL,
}) => {
  await signUpThroughUi(page);
  await page.goto("/flows");
  await page.getByLabel("Flows YAML").fill(COMMENTED);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("button", { name: "Save and enforce the allowlist" }).click();
  await expect(page.getByTestId("flows-version")).toHaveText("v1");
  await page.reload();
  await expect(page.getByLabel("Flows YAML")).toHaveValue(COMMENTED);

  const apiKey = await createApiKey(page.request, baseURL);
  await reportEvents(GATEWAY_PORTS[0] as number, apiKey, [httpCall({ host: "api.leaky.example" })]);
  await page.goto("/providers");
  const row = page.getByTestId("provider-row").filter({ hasText: "api.leaky.example" });
  await row.getByRole("button", { name: "Block" }).click();
  await page.getByRole("button", { name: "Confirm block" }).click();
  await expect(row.getByTestId("provider-status")).toHaveText("Blocked");

  await page.goto("/flows");
  await expect(page.getByTestId("flows-version")).toHaveText("v2");
  const editor = page.getByLabel("Flows YAML");
  await expect(editor).toHaveValue(/^# Reviewed by security, Q3\.\nAllowFilter:/);
  await expect(editor).toHaveValue(/- slack\.com\/api\/\* +# the real Slack API/);
  await expect(editor).toHaveValue(/Blocked:[\s\S]*- api\.leaky\.example\/\*/);
});
