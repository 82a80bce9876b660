import { expect, expectProblem, originOf, signUpThroughApi, test, uniqueEmail } from "./fixtures";

// Input Postgres cannot hold, and addresses Next cannot decode: each is a 400 problem naming
// what is wrong, never a 500, and nothing is stored (docs/API.md, "Bad input").

const NUL = "\u0000";
const LONE_SURROGATE = "\ud800";

test("POST /api/keys – a NUL or a lone surrogate in the name is 400 naming the field; nothing is stored", async ({
  request,
  baseURL,
}) => {
  await signUpThroughApi(request, baseURL);
  for (const [name, message] of [
    [`laptop${NUL}`, /NUL/],
    [`laptop${LONE_SURROGATE}`, /surrogate/],
  ] as const) {
    const body = await expectProblem(
      await request.post("/api/keys", { headers: originOf(baseURL), data: { name } }),
      400,
      "bad_request",
    );
    expect(body.detail).toMatch(/^name: /);
    expect(body.errors?.[0]).toMatchObject({
      path: "name",
      message: expect.stringMatching(message),
    });
  }
  expect((await (await request.get("/api/keys")).json()).keys).toHaveLength(0);
});

test("POST /api/auth/signup – a NUL or a lone surrogate in the organization name or email is 400", async ({
  request,
  baseURL,
}) => {
  const attempts = [
    { field: "organizationName", data: { organizationName: `Acme${NUL}` } },
    { field: "organizationName", data: { organizationName: `Acme${LONE_SURROGATE}` } },
    { field: "email", data: { email: `a${NUL}b@example.com` } },
  ];
  for (const { field, data } of attempts) {
    const body = await expectProblem(
      await request.post("/api/auth/signup", {
        headers: originOf(baseURL),
        data: { email: uniqueEmail(), password: "correct horse battery", ...data },
      }),
      400,
      "bad_request",
    );
    expect(body.errors?.[0]?.path).toBe(field);
  }
  // No account was made: the session-less request is still signed out.
  await expectProblem(await request.get("/api/me"), 401, "unauthenticated");
});

test("PUT /api/flows – a NUL or a lone surrogate in the YAML is 400 naming yaml; no version is saved", async ({
  request,
  baseURL,
}) => {
  await signUpThroughApi(request, baseURL);
  for (const yaml of [`# a comment with ${NUL}\n`, `# a comment with ${LONE_SURROGATE}\n`]) {
    const body = await expectProblem(
      await request.put("/api/flows", { headers: originOf(baseURL), data: { yaml } }),
      400,
      "bad_request",
    );
    expect(body.errors?.[0]?.path).toBe("yaml");
  }
  expect((await (await request.get("/api/flows")).json()).version).toBe(0);
});

test("POST /api/providers/block and /approve – a NUL or a lone surrogate in the host is 400", async ({
  request,
  baseURL,
}) => {
  await signUpThroughApi(request, baseURL);
  for (const action of ["block", "approve"]) {
    for (const host of [`slack${NUL}.com`, `slack${LONE_SURROGATE}.com`]) {
      const body = await expectProblem(
        await request.post(`/api/providers/${action}`, {
          headers: originOf(baseURL),
          data: { host },
        }),
        400,
        "bad_request",
      );
      expect(body.errors?.[0]?.path).toBe("host");
    }
  }
});

test("GET /api/events, /api/live and /api/providers/{host}/endpoints – a NUL in a filter or the host is 400 naming it", async ({
  request,
  baseURL,
}) => {
  await signUpThroughApi(request, baseURL);
  for (const field of ["host", "server", "endpoint"]) {
    for (const path of ["/api/events", "/api/live"]) {
      const body = await expectProblem(
        await request.get(`${path}?${field}=a%00b`),
        400,
        "bad_request",
      );
      expect(body.errors?.[0]?.path).toBe(field);
    }
  }
  const body = await expectProblem(
    await request.get("/api/providers/slack%00.com/endpoints"),
    400,
    "bad_request",
  );
  expect(body.errors?.[0]?.path).toBe("host");
});

test("GET /api/events – a parameter given twice is 422 naming it, not silently the last one", async ({
  request,
  baseURL,
}) => {
  await signUpThroughApi(request, baseURL);
  const body = await expectProblem(
    await request.get("/api/events?host=a.example&host=b.example"),
    422,
    "validation_failed",
  );
  expect(body.errors?.[0]).toMatchObject({ path: "host" });
  await expectProblem(
    await request.get("/api/providers?window=7d&window=30d"),
    422,
    "validation_failed",
  );
});

test("a broken percent-encoding in an /api path is 400 problem+json with a request id, signed in or not", async ({
  request,
  baseURL,
}) => {
  const broken = [
    ["DELETE", "/api/keys/%E0%A4%A"],
    ["DELETE", "/api/keys/%ED%A0%80"], // an encoded lone surrogate
    ["GET", "/api/providers/%E0%A4%A/endpoints"],
    ["GET", "/api/providers/%FF/endpoints"],
    ["GET", "/api/no-such-route/%C0"],
    ["POST", "/api/%"],
  ] as const;
  for (const signedIn of [false, true]) {
    if (signedIn) await signUpThroughApi(request, baseURL);
    for (const [method, path] of broken) {
      const response = await request.fetch(path, { method, headers: originOf(baseURL) });
      const body = await expectProblem(response, 400, "bad_request");
      expect(body.detail).toMatch(/percent-encod/);
    }
  }
  // Well-formed escapes still reach the routes.
  await expectProblem(
    await request.get("/api/providers/caf%C3%A9.example/endpoints"),
    404,
    "not_found",
  );
});

test("a broken percent-encoding in a page address is 400, not 500", async ({ page }) => {
  const response = await page.goto("/providers/%E0%A4%A");
  expect(response?.status()).toBe(400);
});
