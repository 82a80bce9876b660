import { GATEWAY_PORTS } from "../playwright.config";
import { httpCall, LiveAgent, toolCall } from "./agent-client";
import { countDialogs, createApiKey, expect, originOf, signUpThroughUi, test } from "./fixtures";

const HOSTILE = "<img src=x onerror=alert(1)>";

test("MCP servers: each server's tool and outbound calls, its unknown hosts, and a link to its live logs", async ({
  page,
  baseURL,
}) => {
  const dialogs = countDialogs(page);
  await signUpThroughUi(page);
  await page.goto("/servers");
  await expect(page.getByText("No MCP servers reported yet")).toBeVisible();
  await expect(page.getByText("npx -y @lunar-mcpx/agent start --config mcp.json")).toBeVisible();

  const apiKey = await createApiKey(page.request, baseURL);
  const agent = await LiveAgent.connect(GATEWAY_PORTS[0] as number, apiKey, {
    name: "e2e-servers-agent",
    servers: [
      { name: "github", transport: "stdio" },
      { name: HOSTILE, transport: "http" },
      { name: "idle", transport: "sse" },
    ],
  });
  try {
    await agent.report([
      toolCall({ server: "github" }),
      toolCall({ server: "github", durationMs: 30 }),
      toolCall({ server: "github", outcome: "error", errorType: "tool_error" }),
      httpCall({ server: "github", host: "api.github.com" }),
      httpCall({ server: "github", host: "api.github.com", status: 500 }),
      toolCall({ server: HOSTILE }),
      httpCall({ server: HOSTILE, host: "exfil.unknown.example" }),
      httpCall({
        server: HOSTILE,
        host: "collect.unknown.example",
        status: 403,
        decision: "blocked",
        rule: "org:AllowFilter",
      }),
      httpCall({ server: HOSTILE, host: "api.github.com" }),
    ]);
    // The one host somebody decided: it no longer counts as unknown for either server.
    const approved = await page.request.post("/api/providers/approve", {
      headers: originOf(baseURL),
      data: { host: "api.github.com", createAllowlist: true },
    });
    expect(approved.status()).toBe(200);

    await page.goto("/servers");
    const rows = page.getByTestId("server-row");
    // Servers calling unknown hosts first, then by name; one known only from the hello too.
    await expect(rows.getByTestId("server-name")).toHaveText([HOSTILE, "github", "idle"]);
    await expect(page.getByTestId("unknown-hosts-servers-banner")).toContainText(
      "1 MCP server called unknown hosts",
    );

    const github = rows.filter({ has: page.getByTestId("server-name").getByText("github") });
    await expect(github.getByTestId("server-transports")).toHaveText("stdio");
    await expect(github.getByTestId("server-agents-connected")).toHaveText("1 of 1 connected");
    await expect(github).toContainText("e2e-servers-agent");
    await expect(github.getByTestId("tool-calls")).toHaveText("3");
    await expect(github.getByTestId("tool-errors")).toHaveText("1");
    // 12, 12 and 30 ms; histogram percentiles are within 5%.
    await expect(github.getByTestId("tool-p50")).toHaveText(/^1[1-3] ms$/);
    await expect(github.getByTestId("tool-p95")).toHaveText(/^(29|3[01]) ms$/);
    await expect(github.getByTestId("outbound-calls")).toHaveText("2");
    await expect(github.getByTestId("outbound-blocked")).toHaveText("0");
    await expect(github.getByTestId("outbound-errors")).toHaveText("1");
    await expect(github.getByTestId("outbound-hosts")).toHaveText("1");
    await expect(github.getByTestId("unknown-hosts-badge")).toHaveCount(0);

    // The hostile name is text: shown as written, no element made of it, no script run.
    const hostile = rows.filter({ has: page.getByTestId("server-name").getByText(HOSTILE) });
    await expect(hostile.getByTestId("server-name")).toHaveText(HOSTILE);
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    await expect(hostile.getByTestId("server-transports")).toHaveText("http");
    await expect(hostile.getByTestId("tool-calls")).toHaveText("1");
    await expect(hostile.getByTestId("outbound-calls")).toHaveText("3");
    await expect(hostile.getByTestId("outbound-blocked")).toHaveText("1");
    await expect(hostile.getByTestId("outbound-errors")).toHaveText("0");
    await expect(hostile.getByTestId("outbound-hosts")).toHaveText("3");
    await expect(hostile.getByTestId("unknown-hosts-badge")).toHaveText("⚠ 2 unknown hosts");
    await expect(hostile.getByTestId("unknown-host-names").getByRole("listitem")).toHaveText([
      "collect.unknown.example",
      "exfil.unknown.example",
    ]);

    const idle = rows.filter({ has: page.getByTestId("server-name").getByText("idle") });
    await expect(idle.getByTestId("server-transports")).toHaveText("sse");
    await expect(idle.getByTestId("tool-calls")).toHaveText("0");
    await expect(idle.getByTestId("tool-p95")).toHaveText("–");
    await expect(idle.getByTestId("outbound-hosts")).toHaveText("0");

    // The 7-day window covers the same calls (they are minutes old).
    const window = page.getByTestId("traffic-window");
    await window.getByRole("button", { name: "7 d" }).click();
    await expect(window.getByRole("button", { name: "7 d" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    await expect(page.getByRole("status").filter({ hasText: "Loading…" })).toHaveCount(0);
    await expect(github.getByTestId("tool-calls")).toHaveText("3");
    await expect(hostile.getByTestId("unknown-hosts-badge")).toHaveText("⚠ 2 unknown hosts");

    // At the default 1280-px window the table fits: its last column needs no sideways scrolling.
    await expect(hostile.getByTestId("unknown-hosts-badge")).toBeInViewport({ ratio: 1 });
    const link = hostile.getByRole("link", { name: `Live logs of ${HOSTILE}` });
    await link.click();
    await expect(page).toHaveURL(
      (url) => url.pathname === "/live" && url.searchParams.get("server") === HOSTILE,
    );
    await expect(page.getByLabel("MCP server")).toHaveValue(HOSTILE);
    await expect(page.getByTestId("live-status")).toHaveText("Live");
    // It opens on the server's stored calls (its tool call and three outbound calls), no other's.
    const events = page.getByTestId("live-event");
    await expect(events).toHaveCount(4);
    await expect(events.filter({ hasNotText: HOSTILE })).toHaveCount(0);
    // One batch: had github's call passed the filter, it would arrive with the other one.
    await agent.report([
      toolCall({ server: "github", tool: "search_repos" }),
      httpCall({ server: HOSTILE, host: "exfil.unknown.example", path: "/upload" }),
    ]);
    await expect(events.first()).toContainText("exfil.unknown.example/upload");
    await expect(events).toHaveCount(5);
    await expect(events.filter({ hasNotText: HOSTILE })).toHaveCount(0);
  } finally {
    agent.close();
  }
  expect(dialogs()).toBe(0);
});

test("GET /api/servers: the page's data as JSON; a window other than 24h, 7d or 30d is refused", async ({
  page,
  baseURL,
}) => {
  await signUpThroughUi(page);
  expect(await (await page.request.get("/api/servers")).json()).toEqual({
    window: "24h",
    servers: [],
    truncated: false,
  });
  const apiKey = await createApiKey(page.request, baseURL);
  const agent = await LiveAgent.connect(GATEWAY_PORTS[1] as number, apiKey, {
    name: "e2e-api-agent",
    servers: [{ name: "maps", transport: "stdio" }],
  });
  try {
    await agent.report([httpCall({ server: "maps", host: "maps.googleapis.com" })]);
    const response = await page.request.get("/api/servers?window=30d");
    expect(response.status()).toBe(200);
    const body = await response.json();
    expect(body.window).toBe("30d");
    expect(body.servers).toMatchObject([
      {
        name: "maps",
        transports: ["stdio"],
        agents: [{ name: "e2e-api-agent", connected: true }],
        toolCalls: { count: 0, errors: 0, p50Ms: null, p95Ms: null },
        outbound: {
          calls: 1,
          errors: 0,
          blocked: 0,
          hosts: 1,
          unknownHosts: 1,
          unknownHostNames: ["maps.googleapis.com"],
        },
      },
    ]);
  } finally {
    agent.close();
  }
  const refused = await page.request.get("/api/servers?window=1h");
  expect(refused.status()).toBe(422);
  expect((await refused.json()).code).toBe("validation_failed");
});
