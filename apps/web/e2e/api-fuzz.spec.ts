// Property-based fuzzing of every /api route against the built server (fast-check).
//
//   FUZZ_RUNS   requests per route and sign-in state (default 40, so `npm test` stays quick);
//               a long run: FUZZ_RUNS=1000 (what the root `npm run fuzz` is for)
//   FUZZ_SEED   replays a run (fast-check prints the seed and the shrunk request on failure)
//
// Run it as `npm test` does (a production build, then Playwright against `next start`):
//   npm run build -w @lunar/web
//   E2E_DATABASE_URL=<a fresh migrated database> FUZZ_RUNS=1000 \
//     npx playwright test --config apps/web/playwright.config.ts e2e/api-fuzz.spec.ts
//
// Property: no answer is a 5xx; every 4xx on an /api path is application/problem+json with a
// request id that matches the x-request-id header (except Node's own 431 for a request head
// over 16 KiB, answered before the app: docs/API.md); nothing hangs; and /api/health still
// answers afterwards. Signed out, and signed in (the session of a user made for the run).
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { expect, signUpThroughApi, test } from "./fixtures";
import { FUZZ_ROUTES, type FuzzRoute } from "./fuzz/api-routes";
import { type FuzzContext, fuzzRequest } from "./fuzz/arbitraries";
import {
  closeRawConnections,
  type RawRequest,
  type RawResponse,
  sendRaw,
} from "./fuzz/raw-request";

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

function describeExchange(request: RawRequest, response: RawResponse): string {
  const body = request.body ? request.body.subarray(0, 300).toString("utf8") : "";
  return `${request.method} ${request.path.slice(0, 300)} ${JSON.stringify(request.headers)} ${JSON.stringify(body)}\n  → ${response.status} ${String(response.headers["content-type"])} ${response.body.slice(0, 300)}`;
}

/**
 * The property, checked on one exchange; throws with the exchange when it does not hold. Plain
 * assertions: each Playwright `expect` is a step of the test's trace, and thousands of them
 * made a long run crawl.
 */
function checkAnswer(request: RawRequest, response: RawResponse): void {
  const what = () => describeExchange(request, response);
  assert.ok(response.status < 500, what());
  // Dot segments can take a path out of /api (`/api/..` is the home page): the rest holds for
  // the API only.
  const resolved = new URL(request.path, "http://x").pathname;
  if (response.status < 400 || !/^\/api(\/|$)/.test(resolved)) return;
  // Node's own parser answers a request head over 16 KiB before Next sees it (docs/API.md).
  if (response.status === 431) return;
  assert.equal(response.headers["content-type"], "application/problem+json", what());
  let problem: { status: number; requestId: string };
  try {
    problem = JSON.parse(response.body);
  } catch {
    throw new Error(`the problem document is not JSON: ${what()}`);
  }
  assert.equal(problem.status, response.status, what());
  assert.match(problem.requestId, /^[0-9a-f-]{36}$/, what());
  assert.equal(response.headers["x-request-id"], problem.requestId, what());
}

async function fuzzRoutes(port: number, context: FuzzContext): Promise<void> {
  for (const route of FUZZ_ROUTES) {
    await fc.assert(
      fc.asyncProperty(fuzzRequest(route, context), async (request) => {
        checkAnswer(request, await sendRaw(port, request));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }
  const health = await sendRaw(port, { method: "GET", path: "/api/health", headers: {} });
  expect(health.status).toBe(200);
}

test.afterAll(() => closeRawConnections());

test("fuzz: every /api route, signed out – no 5xx, every 4xx a problem with a request id", async ({
  baseURL,
}) => {
  test.setTimeout(Math.max(60_000, RUNS * 4_000));
  expectEveryRouteListed();
  const url = new URL(baseURL ?? "");
  await fuzzRoutes(Number(url.port), { origin: url.origin });
});

test("fuzz: every /api route, signed in – no 5xx, every 4xx a problem with a request id", async ({
  request,
  baseURL,
}) => {
  test.setTimeout(Math.max(60_000, RUNS * 4_000));
  const url = new URL(baseURL ?? "");
  await signUpThroughApi(request, baseURL);
  const session = (await request.storageState()).cookies.find((c) => c.name === "lunar_session");
  await fuzzRoutes(Number(url.port), { origin: url.origin, sessionCookie: session?.value });
  // The session survived the run: the fuzzer's own requests did not sign it out.
  expect((await request.get("/api/me")).status()).toBe(200);
});

/** The fuzzer's route list names every route file under src/app/api. */
function expectEveryRouteListed(): void {
  const apiDir = join(import.meta.dirname, "../src/app/api");
  const files = readdirSync(apiDir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith("route.ts"))
    .map((file) => relative(apiDir, join(apiDir, file)));
  const covered = (route: FuzzRoute) =>
    route.path
      .replace(/^\/api\/?/, "")
      .replace("{path}", "[...path]")
      .replace(/\{(\w+)\}/g, "[$1]");
  const paths = new Set(FUZZ_ROUTES.map(covered));
  for (const file of files) {
    const dir = file.replace(/\/?route\.ts$/, "");
    expect(paths.has(dir), `${file} is not in e2e/fuzz/api-routes.ts`).toBe(true);
  }
}
