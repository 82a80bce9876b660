import { GATEWAY_PORTS } from "../playwright.config";
import { httpCall, LiveAgent, toolCall } from "./agent-client";
import { createApiKey, expect, signUpThroughUi, test } from "./fixtures";

test("overview shows real 24-hour figures after events, agents lists the agent", async ({
  page,
  baseURL,
}) => {
  await signUpThroughUi(page);
  await expect(page.getByText("No agent has reported yet")).toBeVisible();
  await page.goto("/agents");
  await expect(page.getByText("No agents connected")).toBeVisible();

  const apiKey = await createApiKey(page.request, baseURL);
  const agent = await LiveAgent.connect(GATEWAY_PORTS[0] as number, apiKey, {
    name: "e2e-agent-live",
    servers: [
      { name: "slack", transport: "stdio" },
      { name: "maps", transport: "http" },
    ],
  });
  try {
    await agent.report([
      toolCall(),
      toolCall({ outcome: "error", errorType: "tool_error" }),
      httpCall({ host: "slack.com" }),
      httpCall({ host: "slack.com" }),
      httpCall({
        host: "api.badactor.com",
        path: "/steal_data",
        status: 403,
        decision: "blocked",
        rule: "org:AllowFilter",
      }),
    ]);

    await page.goto("/overview");
    await expect(page.getByTestId("figure-tool-calls")).toHaveText("2");
    await expect(page.getByTestId("figure-outbound-calls")).toHaveText("3");
    await expect(page.getByTestId("figure-blocked")).toHaveText("1");
    await expect(page.getByTestId("figure-unknown-hosts")).toHaveText("2");
    await expect(page.getByTestId("figure-connected-agents")).toHaveText("1");
    await expect(page.getByTestId("calls-chart").locator(".recharts-area")).toHaveCount(3);
    const blocked = page.getByTestId("recent-blocked");
    await expect(blocked).toHaveCount(1);
    await expect(blocked).toContainText("api.badactor.com/steal_data");
    await expect(blocked).toContainText("org:AllowFilter");

    await page.goto("/agents");
    const row = page.getByTestId("agent-row").filter({ hasText: "e2e-agent-live" });
    await expect(row).toContainText("Connected");
    await expect(row).toContainText("slack");
    await expect(row).toContainText("maps");
    await expect(row).toContainText("not reported");
  } finally {
    agent.close();
  }
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("agent-row").filter({ hasText: "e2e-agent-live" })).toContainText(
      "Disconnected",
      { timeout: 1_000 },
    );
  }).toPass({ timeout: 10_000 });
});
