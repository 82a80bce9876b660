// A realistic flows document and request mix for bench/flows-eval.bench.ts, generated from a seed
// so every run (and every checkout) measures the same thing.
//
// Document: 1,000 url globs in org-wide and server-scoped Filter flows, allow and deny, with
// methods and a few header conditions. Hosts are exact (`api.stripe.com`) or `*.` globs
// (`*.googleapis.com`); paths are `/*`, prefixes (`/v1/*`), segment globs (`/repos/*/*/issues`)
// and exact paths. One hot host, `api.github.com`, has 60 rules of its own.
//
// Requests: 20,000 distinct targets with a method, headers and a server: the hot host, other
// listed hosts (exact and under a glob), and unknown hosts; paths with ids, query strings, mixed
// case hosts, trailing dots, IDN, IP literals (dotted, decimal, IPv6) and CONNECT authorities.
import type { FlowRequest, TargetInput } from "../src/index";

export const HOT_HOST = "api.github.com";
export type HostClass = "hot host" | "other hosts" | "unknown hosts";

export interface BenchRequest {
  readonly input: TargetInput;
  readonly method: string;
  readonly headers: FlowRequest["headers"];
  readonly server: string | null;
  readonly hostClass: HostClass;
}

/** mulberry32: a small, fast, seedable PRNG (deterministic across Node versions). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T =>
  list[Math.floor(random() * list.length)] as T;
const int = (random: Random, max: number): number => Math.floor(random() * max);

const WORDS = [
  "acme",
  "globex",
  "initech",
  "umbrella",
  "hooli",
  "stark",
  "wayne",
  "wonka",
  "tyrell",
  "cyberdyne",
  "soylent",
  "massive",
  "vandelay",
  "kramerica",
  "pied",
  "aviato",
  "nakatomi",
] as const;
const TLDS = ["com", "io", "dev", "net", "co.uk", "ai"] as const;
const RESOURCES = [
  "users",
  "orders",
  "invoices",
  "customers",
  "items",
  "files",
  "events",
  "projects",
  "teams",
] as const;
const METHOD_SETS = [
  ["GET"],
  ["GET", "HEAD"],
  ["POST"],
  ["GET", "POST"],
  ["PUT", "PATCH"],
  ["DELETE"],
];

/** The hot host's 60 rules: GitHub's REST API, read and write, with denies on secrets and admin. */
function hotHostFlows(): Record<string, unknown>[] {
  const h = HOT_HOST;
  const read = [
    "/repos/*/*",
    "/repos/*/*/issues",
    "/repos/*/*/issues/*",
    "/repos/*/*/issues/*/comments",
    "/repos/*/*/pulls",
    "/repos/*/*/pulls/*",
    "/repos/*/*/pulls/*/files",
    "/repos/*/*/commits",
    "/repos/*/*/commits/*",
    "/repos/*/*/contents/*",
    "/repos/*/*/branches",
    "/repos/*/*/tags",
    "/repos/*/*/releases",
    "/repos/*/*/releases/*",
    "/repos/*/*/labels",
    "/repos/*/*/milestones",
    "/users/*",
    "/users/*/repos",
    "/orgs/*",
    "/orgs/*/repos",
    "/orgs/*/members",
    "/search/*",
    "/rate_limit",
    "/user",
    "/user/repos",
    "/gists/*",
    "/notifications",
    "/repos/*/*/git/refs/*",
  ];
  const write = [
    "/repos/*/*/issues",
    "/repos/*/*/issues/*/comments",
    "/repos/*/*/pulls",
    "/repos/*/*/pulls/*/reviews",
    "/repos/*/*/labels",
    "/repos/*/*/git/refs",
    "/repos/*/*/contents/*",
    "/gists",
    "/repos/*/*/issues/*/labels",
    "/repos/*/*/statuses/*",
  ];
  const edit = ["/repos/*/*/issues/*", "/repos/*/*/pulls/*", "/repos/*/*/releases/*", "/user"];
  const deny = [
    "/repos/*/*/actions/secrets/*",
    "/repos/*/*/hooks/*",
    "/orgs/*/hooks/*",
    "/admin/*",
    "/repos/*/*/keys/*",
    "/user/keys/*",
    "/orgs/*/actions/secrets/*",
    "/repos/*/*/collaborators/*",
    "/repos/*/*/environments/*/secrets/*",
    "/enterprises/*",
  ];
  const urls = (paths: string[]) => ({ key: "urls", value: paths.map((p) => `${h}${p}`) });
  const methods = (list: string[]) => ({ key: "methods", value: list });
  return [
    { GithubRead: { processor: "Filter", parameters: [urls(read), methods(["GET", "HEAD"])] } },
    { GithubWrite: { processor: "Filter", parameters: [urls(write), methods(["POST"])] } },
    { GithubEdit: { processor: "Filter", parameters: [urls(edit), methods(["PATCH"])] } },
    {
      GithubNoSecrets: {
        processor: "Filter",
        parameters: [{ key: "action", value: "deny" }, urls(deny)],
      },
    },
    {
      GithubNoDeletes: {
        processor: "Filter",
        parameters: [
          { key: "action", value: "deny" },
          urls(["/repos/*", "/orgs/*", "/user/*"]),
          methods(["DELETE"]),
        ],
      },
    },
    {
      GithubServerOnly: {
        processor: "Filter",
        parameters: [
          { key: "server", value: "github" },
          urls(["/repos/*", "/users/*", "/search/*", "/user"]),
        ],
      },
    },
    {
      GithubServerNoWorkflows: {
        processor: "Filter",
        parameters: [
          { key: "server", value: "github" },
          { key: "action", value: "deny" },
          urls(["/repos/*/*/actions/workflows/*"]),
        ],
      },
    },
  ];
}

/** A host some rule lets through, with the paths, server and methods of that rule. */
interface Listed {
  readonly host: string;
  readonly paths: readonly string[];
  readonly server: string | null;
  readonly methods: readonly string[] | null;
}

export interface GeneratedDocument {
  readonly document: Record<string, unknown>;
  /** Hosts named by some rule (exact, or a name under a `*.` glob), for the request generator. */
  readonly listed: readonly Listed[];
  readonly ruleCount: number;
}

/** 1,000 url globs: the hot host's 60, then provider flows until the count is reached. */
export function generateDocument(seed = 13, totalRules = 1_000): GeneratedDocument {
  const random = seededRandom(seed);
  const flows: Record<string, unknown>[] = hotHostFlows();
  const countUrls = (flow: Record<string, unknown>) => {
    const body = Object.values(flow)[0] as { parameters: { key: string; value: unknown }[] };
    const urls = body.parameters.find((p) => p.key === "urls")?.value as string[];
    return urls.length;
  };
  let ruleCount = flows.reduce((sum, flow) => sum + countUrls(flow), 0);
  const listed: Listed[] = [];
  const servers = ["slack", "maps", "github", "stripe", "jira", "notion"];

  const forProviders = totalRules - 1; // the Google glob below is the last one
  for (let i = 0; ruleCount < forProviders; i++) {
    const word = `${pick(random, WORDS)}${i}`;
    const tld = pick(random, TLDS);
    const wildcard = random() < 0.3;
    const host = wildcard
      ? `*.${word}.${tld}`
      : `${pick(random, ["api", "www", "app", "data"])}.${word}.${tld}`;
    const version = `v${1 + int(random, 3)}`;
    const resources = [pick(random, RESOURCES), pick(random, RESOURCES)];
    const paths = [
      `/${version}/*`,
      `/${version}/${resources[0]}/*/detail`,
      `/${version}/${resources[1]}`,
      "/*",
      `/${version}/${resources[0]}/*/events/*`,
    ].slice(0, 1 + int(random, 4));
    const scheme = random() < 0.15 ? "https://" : "";
    const port = random() < 0.05 ? ":8443" : "";
    const remaining = forProviders - ruleCount;
    const urls = paths.slice(0, remaining).map((p) => `${scheme}${host}${port}${p}`);
    const parameters: { key: string; value: unknown }[] = [{ key: "urls", value: urls }];
    const roll = random();
    if (roll < 0.12) parameters.push({ key: "action", value: "deny" });
    const methods = random() < 0.4 ? pick(random, METHOD_SETS) : null;
    if (methods) parameters.push({ key: "methods", value: methods });
    if (random() < 0.05) {
      parameters.push({ key: "headers", value: [{ name: "x-env", value: "prod*" }] });
    }
    const server = random() < 0.25 ? pick(random, servers) : null;
    if (server) parameters.push({ key: "server", value: server });
    flows.push({ [`Flow_${word}`]: { processor: "Filter", parameters } });
    ruleCount += urls.length;
    if (!port) {
      const concrete = wildcard
        ? `${pick(random, ["eu", "us", "cdn", "a.b"])}.${word}.${tld}`
        : host;
      listed.push({
        host: concrete,
        paths: paths.map((p) => p.replaceAll("*", "x")),
        server,
        methods,
      });
    }
  }
  // Well-known providers and the org's response, as a real document has them.
  flows.push({
    Google: { processor: "Filter", parameters: [{ key: "urls", value: ["*.googleapis.com/*"] }] },
  });
  flows.push({
    Forbidden: { processor: "GenerateResponse", parameters: [{ key: "status", value: 403 }] },
  });
  ruleCount += 1;
  listed.push({
    host: "maps.googleapis.com",
    paths: ["/maps/api/geocode/json"],
    server: "maps",
    methods: null,
  });
  return { document: Object.assign({}, ...flows), listed, ruleCount };
}

const GITHUB_PATHS: ((r: Random) => string)[] = [
  (r: Random) => `/repos/${owner(r)}/${repo(r)}/issues/${1 + int(r, 9_000)}`,
  (r: Random) => `/repos/${owner(r)}/${repo(r)}/pulls/${1 + int(r, 4_000)}/files`,
  (r: Random) => `/repos/${owner(r)}/${repo(r)}/issues`,
  (r: Random) => `/repos/${owner(r)}/${repo(r)}/commits/${hex(r, 40)}`,
  (r: Random) => `/repos/${owner(r)}/${repo(r)}/contents/src/index.ts`,
  (r: Random) => `/users/${owner(r)}/repos`,
  () => "/search/issues",
  (r: Random) =>
    `/repos/${owner(r)}/${repo(r)}/actions/secrets/${pick(r, ["NPM_TOKEN", "AWS_KEY"])}`,
  (r: Random) => `/orgs/${owner(r)}/members`,
  () => "/user",
];
const owner = (r: Random) => `${pick(r, WORDS)}-${int(r, 500)}`;
const repo = (r: Random) => `${pick(r, ["api", "web", "infra", "docs", "sdk"])}${int(r, 50)}`;
const hex = (r: Random, n: number) =>
  Array.from({ length: n }, () => "0123456789abcdef"[int(r, 16)]).join("");
const QUERIES = [
  "",
  "",
  "",
  "?page=2&per_page=100",
  "?q=is%3Aopen+label%3Abug",
  "?state=all",
  "?ref=main",
];

/** A host written as clients write it: mostly as is, sometimes in mixed case or with a dot. */
function spell(random: Random, host: string): string {
  const roll = random();
  if (roll < 0.05) return host.replace(/^[a-z]/, (c) => c.toUpperCase()).replace(".com", ".COM");
  if (roll < 0.07) return `${host}.`;
  return host;
}

/** 20,000 distinct requests: 30% the hot host, 45% other listed hosts, 25% unknown hosts. */
export function generateRequests(
  generated: GeneratedDocument,
  seed = 13,
  count = 20_000,
): BenchRequest[] {
  const random = seededRandom(seed ^ 0x5eed);
  const seen = new Set<string>();
  const requests: BenchRequest[] = [];
  const servers = ["github", "slack", "maps", null, null, "stripe"];
  while (requests.length < count) {
    const roll = random();
    let method = pick(random, [
      "GET",
      "GET",
      "GET",
      "GET",
      "POST",
      "POST",
      "PATCH",
      "DELETE",
      "HEAD",
    ]);
    let server = pick(random, servers);
    let hostClass: HostClass;
    let host: string;
    let path: string;
    if (roll < 0.3) {
      hostClass = "hot host";
      if (random() < 0.8) server = pick(random, ["github", null]);
      host = spell(random, HOT_HOST);
      path = pick(random, GITHUB_PATHS)(random);
    } else if (roll < 0.75) {
      hostClass = "other hosts";
      const entry = pick(random, generated.listed);
      // Mostly the calls the rule was written for: its server, one of its methods.
      if (random() < 0.8) server = entry.server;
      if (entry.methods && random() < 0.8) method = pick(random, entry.methods);
      host = spell(random, entry.host);
      path = pick(random, entry.paths).replaceAll("/x", () => `/${int(random, 100_000)}`);
      if (random() < 0.2) path = `${path}/${pick(random, RESOURCES)}/${int(random, 1000)}`;
    } else {
      hostClass = "unknown hosts";
      const kind = random();
      if (kind < 0.08)
        host = `${1 + int(random, 223)}.${int(random, 256)}.${int(random, 256)}.${int(random, 256)}`;
      else if (kind < 0.1) host = String(16_777_216 + int(random, 3_000_000_000));
      else if (kind < 0.12)
        host = `[2606:4700:${int(random, 65_536).toString(16)}::${int(random, 65_536).toString(16)}]`;
      else if (kind < 0.14) host = `bücher-${int(random, 10_000)}.example`;
      else
        host = spell(
          random,
          `${pick(random, ["api", "www", "cdn"])}.${pick(random, WORDS)}-${int(random, 100_000)}.com`,
        );
      path = `/${pick(random, RESOURCES)}/${int(random, 1_000_000)}`;
    }
    const connect = random() < 0.1;
    const target = connect ? `${host}:443` : `https://${host}${path}${pick(random, QUERIES)}`;
    const input: TargetInput = connect
      ? { kind: "connect", authority: target }
      : { kind: "absolute", url: target };
    const key = `${server} ${method} ${target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const headers = {
      host,
      "user-agent": "mcp-server/1.0",
      accept: "application/json",
      ...(random() < 0.5 ? { "x-env": "prod-eu" } : {}),
    };
    requests.push({ input, method, headers, server, hostClass });
  }
  return requests;
}
