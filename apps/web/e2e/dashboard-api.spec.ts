import type { APIRequestContext } from "@playwright/test";
import { GATEWAY_PORTS } from "../playwright.config";
import { httpCall, LiveAgent, reportEvents } from "./agent-client";
import {
  createApiKey,
  expect,
  expectProblem,
  originOf,
  PASSWORD,
  test,
  uniqueEmail,
} from "./fixtures";

// The flows, events and providers API over real HTTP: refusals are problem+json with the right
// status and code, and one organization never sees another's data.

async function signUp(request: APIRequestContext, baseURL: string | undefined) {
  const response = await request.post("/api/auth/signup", {
    headers: originOf(baseURL),
    data: { email: uniqueEmail("api"), password: PASSWORD },
  });
  expect(response.status()).toBe(201);
}

function putFlows(request: APIRequestContext, baseURL: string | undefined, data: object) {
  return request.put("/api/flows", { headers: originOf(baseURL), data });
}

test("PUT /api/flows – invalid YAML is 422 with line:column per error, nothing is saved", async ({
  request,
  baseURL,
}) => {
  await signUp(request, baseURL);
  const yaml = [
    "AllowFilter:",
    "  processor: Block",
    "Other:",
    "  processor: Filter",
    "  parameters:",
    "    - key: url",
    "      value: [slack.com/*]",
  ].join("\n");
  const body = await expectProblem(
    await putFlows(request, baseURL, { yaml }),
    422,
    "validation_failed",
  );
  // Every error at once, each at its line and column, in document order.
  expect(body.errors).toEqual([
    {
      path: "2:14",
      message: 'AllowFilter.processor: processor must be "Filter" or "GenerateResponse"',
    },
    { path: "6:12", message: expect.stringContaining('unknown parameter "url"') },
    { path: "4:3", message: 'Other: Filter "Other" needs a "urls" parameter' },
  ]);
  expect(body.detail).toContain("line 2, column 14");
  const state = await (await request.get("/api/flows")).json();
  expect(state).toMatchObject({ version: 0, yaml: "", mode: "visibility", history: [] });
});

test("PUT /api/flows – YAML over 256 KiB is 413, and so is a body over the route's limit", async ({
  request,
  baseURL,
}) => {
  await signUp(request, baseURL);
  const big = `${"# padding line\n".repeat(18_000)}`; // 270,000 bytes
  await expectProblem(await putFlows(request, baseURL, { yaml: big }), 413, "payload_too_large");
  const huge = "x".repeat(600 * 1024);
  await expectProblem(await putFlows(request, baseURL, { yaml: huge }), 413, "payload_too_large");
  expect((await (await request.get("/api/flows")).json()).version).toBe(0);
});

test("PUT /api/flows – saves versions with warnings, refuses a stale baseVersion with 409", async ({
  request,
  baseURL,
}) => {
  await signUp(request, baseURL);
  const yaml =
    'Maps:\n  processor: Filter\n  parameters:\n    - key: urls\n      value: ["*.googleapis.com/*"]\n';
  const first = await putFlows(request, baseURL, { yaml, baseVersion: 0 });
  expect(first.status()).toBe(200);
  const saved = await first.json();
  expect(saved).toMatchObject({ version: 1, mode: "allowlist", ruleCount: 1 });
  expect(saved.warnings).toEqual([
    { path: "5:15", message: expect.stringContaining("googleapis.com") },
  ]);
  expect(saved.yaml).toContain('"*.googleapis.com/*"');
  expect(saved.history).toHaveLength(1);

  await expectProblem(
    await putFlows(request, baseURL, { yaml: "", baseVersion: 0 }),
    409,
    "conflict",
  );
  const emptied = await (
    await putFlows(request, baseURL, { yaml: "# none\n", baseVersion: 1 })
  ).json();
  // No flows, and the author's comment is shown back as written.
  expect(emptied).toMatchObject({
    version: 2,
    mode: "visibility",
    yaml: "# none\n",
    ruleCount: 0,
  });
  await expectProblem(
    await putFlows(request, baseURL, { yaml: "", extra: true }),
    422,
    "validation_failed",
  );
  await expectProblem(
    await request.put("/api/flows", { data: { yaml: "" } }),
    403,
    "csrf_rejected",
  );
});

test("POST /api/flows/test – decides with the saved flows and says headers were not considered", async ({
  request,
  baseURL,
}) => {
  await signUp(request, baseURL);
  const test = (data: object) =>
    request.post("/api/flows/test", { headers: originOf(baseURL), data });
  const visibility = await (await test({ url: "https://api.badactor.com/x" })).json();
  expect(visibility).toMatchObject({ version: 0, decision: "allowed", rule: null });

  await putFlows(request, baseURL, {
    yaml: "AllowFilter:\n  processor: Filter\n  parameters:\n    - key: urls\n      value: [slack.com/api/*]\n",
  });
  const blocked = await (await test({ url: "https://api.badactor.com/stea_datal" })).json();
  expect(blocked).toMatchObject({
    version: 1,
    decision: "blocked",
    rule: "org:AllowFilter",
    response: { status: 403, body: "Forbidden Access", contentType: "text/plain" },
    notConsidered: ["method", "headers"],
  });
  const allowed = await (
    await test({ url: "https://slack.com/api/chat.postMessage", method: "post", server: "slack" })
  ).json();
  expect(allowed).toMatchObject({ decision: "allowed", rule: "org:AllowFilter#0", response: null });
  expect(allowed.notConsidered).toEqual(["headers"]);
  const refused = await (await test({ url: "https://%73lack.com/api/x" })).json();
  expect(refused).toMatchObject({ decision: "refused", rule: null });
  expect(refused.reason).toContain("percent_encoded_host");
  await expectProblem(await test({ method: "GET" }), 422, "validation_failed");
});

test("GET /api/events – recent events newest first, filters, limits", async ({
  request,
  baseURL,
}) => {
  await signUp(request, baseURL);
  const apiKey = await createApiKey(request, baseURL);
  const now = Date.now();
  await reportEvents(GATEWAY_PORTS[0] as number, apiKey, [
    httpCall({ host: "a.example", ts: now - 2_000 }),
    httpCall({
      host: "b.example",
      ts: now - 1_000,
      decision: "blocked",
      status: 403,
      rule: "org:X",
    }),
    httpCall({ host: "old.example", ts: now - 25 * 60 * 60 * 1_000 }),
  ]);
  const all = await (await request.get("/api/events")).json();
  expect(all.events.map((event: { host: string }) => event.host)).toEqual([
    "b.example",
    "a.example",
  ]);
  expect(Object.keys(all.events[0]).sort()).toEqual(
    [
      "agentId",
      "correlationId",
      "decision",
      "durationMs",
      "endpoint",
      "host",
      "id",
      "kind",
      "method",
      "networkError",
      "occurredAt",
      "outcome",
      "path",
      "rule",
      "server",
      "status",
      "tool",
    ].sort(),
  );
  const blocked = await (
    await request.get("/api/events?decision=blocked&host=B.EXAMPLE&server=")
  ).json();
  expect(blocked.events).toHaveLength(1);
  expect((await (await request.get("/api/events?limit=1")).json()).events).toHaveLength(1);
  await expectProblem(await request.get("/api/events?limit=501"), 422, "validation_failed");
  await expectProblem(await request.get("/api/events?limit=abc"), 422, "validation_failed");
  await expectProblem(await request.get("/api/events?org=other"), 422, "validation_failed");
});

test("another organization sees none of your events or providers and cannot block them", async ({
  playwright,
  request,
  baseURL,
}) => {
  await signUp(request, baseURL);
  const apiKey = await createApiKey(request, baseURL);
  await reportEvents(GATEWAY_PORTS[1] as number, apiKey, [httpCall({ host: "private.example" })]);
  expect((await (await request.get("/api/events")).json()).events).toHaveLength(1);
  const mine = await (await request.get("/api/providers")).json();
  expect(mine.providers).toMatchObject([{ host: "private.example", status: "unknown", calls: 1 }]);

  const other = await playwright.request.newContext({ baseURL });
  await signUp(other, baseURL);
  expect((await (await other.get("/api/events")).json()).events).toEqual([]);
  expect((await (await other.get("/api/providers")).json()).providers).toEqual([]);
  await expectProblem(
    await other.post("/api/providers/block", {
      headers: originOf(baseURL),
      data: { host: "private.example" },
    }),
    404,
    "not_found",
  );
  expect((await (await other.get("/api/overview")).json()).hasTraffic).toBe(false);
  expect((await (await other.get("/api/agents")).json()).agents).toEqual([]);
  await other.dispose();
  expect((await (await request.get("/api/providers")).json()).providers[0].status).toBe("unknown");
});

test("POST /api/providers/approve – without an allowlist it is 409 until createAllowlist is sent", async ({
  request,
  baseURL,
}) => {
  await signUp(request, baseURL);
  const apiKey = await createApiKey(request, baseURL);
  await reportEvents(GATEWAY_PORTS[0] as number, apiKey, [
    httpCall({ host: "slack.com" }),
    httpCall({ host: "2001:db8::1" }),
  ]);
  const approve = (data: object) =>
    request.post("/api/providers/approve", { headers: originOf(baseURL), data });
  const refused = await expectProblem(await approve({ host: "slack.com" }), 409, "conflict");
  expect(refused.detail).toContain("createAllowlist");
  expect((await (await request.get("/api/flows")).json()).version).toBe(0);

  const approved = await approve({ host: "slack.com", createAllowlist: true });
  expect(await approved.json()).toMatchObject({
    host: "slack.com",
    status: "approved",
    version: 1,
    flow: "Approved",
    rule: "slack.com/*",
    createdAllowlist: true,
  });
  // With an allowlist in place no confirmation is needed; an IPv6 host gets brackets.
  expect(await (await approve({ host: "2001:db8::1" })).json()).toMatchObject({
    version: 2,
    rule: "[2001:db8::1]/*",
    createdAllowlist: false,
  });
  // Blocking an approved host: the deny wins; approving again removes the deny.
  const blocked = await request.post("/api/providers/block", {
    headers: originOf(baseURL),
    data: { host: "slack.com" },
  });
  expect(await blocked.json()).toMatchObject({ status: "blocked", version: 3, flow: "Blocked" });
  const providers = (await (await request.get("/api/providers")).json()).providers;
  expect(providers.find((p: { host: string }) => p.host === "slack.com").flows).toEqual({
    decision: "blocked",
    rule: "org:Blocked#0",
  });
  expect(await (await approve({ host: "slack.com" })).json()).toMatchObject({ version: 4 });
  const flows = await (await request.get("/api/flows")).json();
  expect(flows.yaml).not.toContain("Blocked");
  await expectProblem(await approve({ host: "never-seen.example" }), 404, "not_found");
});

test("the dashboard API needs a session", async ({ request }) => {
  for (const path of [
    "/api/flows",
    "/api/events",
    "/api/providers",
    "/api/overview",
    "/api/agents",
  ]) {
    await expectProblem(await request.get(path), 401, "unauthenticated");
  }
});

test("PUT /api/flows and Block reach a connected agent through its gateway within a second", async ({
  request,
  baseURL,
}) => {
  await signUp(request, baseURL);
  const apiKey = await createApiKey(request, baseURL);
  await reportEvents(GATEWAY_PORTS[0] as number, apiKey, [httpCall({ host: "evil.example" })]);
  const agent = await LiveAgent.connect(GATEWAY_PORTS[1] as number, apiKey, { name: "pushed" });
  try {
    const yaml =
      "Allow:\n  processor: Filter\n  parameters:\n    - key: urls\n      value: [slack.com/api/*]\n";
    const first = agent.next("flows", 1_000, (frame) => frame.version === 1);
    expect((await putFlows(request, baseURL, { yaml, baseVersion: 0 })).status()).toBe(200);
    expect(await first).toMatchObject({
      reason: "update",
      document: {
        Allow: { processor: "Filter", parameters: [{ key: "urls", value: ["slack.com/api/*"] }] },
      },
    });
    const second = agent.next("flows", 1_000, (frame) => frame.version === 2);
    await request.post("/api/providers/block", {
      headers: originOf(baseURL),
      data: { host: "evil.example" },
    });
    expect(((await second).document as Record<string, unknown>).Blocked).toEqual({
      processor: "Filter",
      parameters: [
        { key: "action", value: "deny" },
        { key: "urls", value: ["evil.example/*"] },
      ],
    });
  } finally {
    agent.close();
  }
});
