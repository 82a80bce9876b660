import type { APIRequestContext } from "@playwright/test";
import { expect, expectProblem, PASSWORD, test, uniqueEmail } from "./fixtures";

// Bad input over real HTTP: every refusal is a 4xx application/problem+json with a request id,
// never a 500, and the server goes on serving.

function origin(baseURL: string | undefined) {
  return { origin: new URL(baseURL ?? "").origin };
}

async function signUp(
  request: APIRequestContext,
  baseURL: string | undefined,
  email = uniqueEmail(),
) {
  const response = await request.post("/api/auth/signup", {
    headers: origin(baseURL),
    data: { email, password: PASSWORD },
  });
  expect(response.status()).toBe(201);
  return email;
}

test("POST /api/auth/login – a wrong password is 401 invalid_credentials", async ({
  request,
  baseURL,
}) => {
  const email = await signUp(request, baseURL);
  const response = await request.post("/api/auth/login", {
    headers: origin(baseURL),
    data: { email, password: "wrong password" },
  });
  await expectProblem(response, 401, "invalid_credentials");
});

test("POST /api/auth/login – an unknown email gets the same answer as a wrong password", async ({
  request,
  baseURL,
}) => {
  const response = await request.post("/api/auth/login", {
    headers: origin(baseURL),
    data: { email: uniqueEmail("nobody"), password: "whatever password" },
  });
  await expectProblem(response, 401, "invalid_credentials");
});

test("POST /api/auth/signup – a duplicate email (any case) is 409 email_taken", async ({
  request,
  baseURL,
}) => {
  const email = await signUp(request, baseURL);
  const response = await request.post("/api/auth/signup", {
    headers: origin(baseURL),
    data: { email: `  ${email.toUpperCase()} `, password: PASSWORD },
  });
  await expectProblem(response, 409, "email_taken");
});

test("POST /api/auth/signup – malformed JSON is 400 invalid_json", async ({ request, baseURL }) => {
  const response = await request.post("/api/auth/signup", {
    headers: { ...origin(baseURL), "content-type": "application/json" },
    data: Buffer.from('{"email": "a@b.c", "password": '),
  });
  await expectProblem(response, 400, "invalid_json");
});

test("POST /api/auth/signup – a body over 16 KiB is 413 payload_too_large", async ({
  request,
  baseURL,
}) => {
  const response = await request.post("/api/auth/signup", {
    headers: { ...origin(baseURL), "content-type": "application/json" },
    data: Buffer.from(JSON.stringify({ email: uniqueEmail(), password: "x".repeat(20_000) })),
  });
  await expectProblem(response, 413, "payload_too_large");
});

test("POST /api/auth/signup – a missing field is 422 naming the field", async ({
  request,
  baseURL,
}) => {
  const response = await request.post("/api/auth/signup", {
    headers: origin(baseURL),
    data: { email: uniqueEmail() },
  });
  const body = await expectProblem(response, 422, "validation_failed");
  expect(body.errors?.map((e) => e.path)).toContain("password");
});

test("POST /api/auth/signup – an unknown extra field is 422", async ({ request, baseURL }) => {
  const response = await request.post("/api/auth/signup", {
    headers: origin(baseURL),
    data: { email: uniqueEmail(), password: PASSWORD, isAdmin: true },
  });
  const body = await expectProblem(response, 422, "validation_failed");
  expect(body.detail).toContain("isAdmin");
});

test("POST /api/auth/signup – a non-JSON content type is 415", async ({ request, baseURL }) => {
  const response = await request.post("/api/auth/signup", {
    headers: { ...origin(baseURL), "content-type": "text/plain" },
    data: Buffer.from("email=a@b.c"),
  });
  await expectProblem(response, 415, "unsupported_media_type");
});

test("POST /api/keys – a write from another origin is 403 csrf_rejected", async ({
  request,
  baseURL,
}) => {
  await signUp(request, baseURL);
  const response = await request.post("/api/keys", {
    headers: { origin: "https://evil.example" },
    data: { name: "stolen" },
  });
  await expectProblem(response, 403, "csrf_rejected");
  const noOrigin = await request.post("/api/keys", { data: { name: "stolen" } });
  await expectProblem(noOrigin, 403, "csrf_rejected");
  const keys = await (await request.get("/api/keys")).json();
  expect(keys.keys).toHaveLength(0);
});

test("GET /api/keys and /api/me – without a session are 401", async ({ request }) => {
  await expectProblem(await request.get("/api/keys"), 401, "unauthenticated");
  await expectProblem(await request.get("/api/me"), 401, "unauthenticated");
});

test("an API key never opens the dashboard API", async ({ playwright, request, baseURL }) => {
  await signUp(request, baseURL);
  const created = await request.post("/api/keys", {
    headers: origin(baseURL),
    data: { name: "agent" },
  });
  const { secret } = await created.json();
  const agentOnly = await playwright.request.newContext({ baseURL });
  const attempts: Record<string, string>[] = [
    { authorization: `Bearer ${secret}` },
    { "x-lunar-api-key": secret },
  ];
  for (const headers of attempts) {
    await expectProblem(await agentOnly.get("/api/keys", { headers }), 401, "unauthenticated");
    await expectProblem(await agentOnly.get("/api/me", { headers }), 401, "unauthenticated");
  }
  await agentOnly.dispose();
});

test("DELETE /api/keys/{id} – another org's key is 404 and stays active", async ({
  playwright,
  request,
  baseURL,
}) => {
  await signUp(request, baseURL);
  const created = await request.post("/api/keys", {
    headers: origin(baseURL),
    data: { name: "org-a" },
  });
  const { id } = await created.json();

  const orgB = await playwright.request.newContext({ baseURL });
  await signUp(orgB, baseURL);
  await expectProblem(
    await orgB.delete(`/api/keys/${id}`, { headers: origin(baseURL) }),
    404,
    "not_found",
  );
  expect((await (await orgB.get("/api/keys")).json()).keys).toHaveLength(0);
  await orgB.dispose();

  const keys = (await (await request.get("/api/keys")).json()).keys;
  expect(keys[0]).toMatchObject({ id, revokedAt: null });
});

test("DELETE /api/keys/{id} – a malformed id is 422, not a 500", async ({ request, baseURL }) => {
  await signUp(request, baseURL);
  const response = await request.delete("/api/keys/..%2F..%2Fetc", { headers: origin(baseURL) });
  await expectProblem(response, 422, "validation_failed");
});

test("POST /api/auth/login – the sixth wrong password is 429 with Retry-After", async ({
  request,
  baseURL,
}) => {
  const email = await signUp(request, baseURL);
  for (let attempt = 0; attempt < 5; attempt++) {
    const response = await request.post("/api/auth/login", {
      headers: origin(baseURL),
      data: { email, password: `wrong ${attempt}` },
    });
    await expectProblem(response, 401, "invalid_credentials");
  }
  const locked = await request.post("/api/auth/login", {
    headers: origin(baseURL),
    data: { email, password: PASSWORD },
  });
  await expectProblem(locked, 429, "rate_limited");
  expect(Number(locked.headers()["retry-after"])).toBeGreaterThan(0);
});

test("an unknown API path is a 404 problem, not the HTML page", async ({ request }) => {
  await expectProblem(await request.get("/api/does-not-exist"), 404, "not_found");
});

test("GET /api/me – returns the user, organization and role after sign-up", async ({
  request,
  baseURL,
}) => {
  const email = await signUp(request, baseURL);
  const me = await (await request.get("/api/me")).json();
  expect(me).toMatchObject({ user: { email }, role: "owner" });
  expect(me.organization.name).toBeTruthy();
});
