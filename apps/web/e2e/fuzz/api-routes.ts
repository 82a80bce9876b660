// Every /api route the fuzzer drives: method, path (with {params}), query parameters and body
// fields it knows of. api-fuzz.spec.ts checks this list against the route files on disk, so a
// new route cannot be left out.

export interface FuzzRoute {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  query?: string[];
  body?: string[];
  /** Sends no session cookie even when signed in (log-out would end the fuzzer's session). */
  noSession?: boolean;
}

export const FUZZ_ROUTES: FuzzRoute[] = [
  {
    method: "POST",
    path: "/api/auth/signup",
    body: ["email", "password", "organizationName"],
  },
  { method: "POST", path: "/api/auth/login", body: ["email", "password"] },
  { method: "POST", path: "/api/auth/logout", body: ["token"], noSession: true },
  { method: "GET", path: "/api/me" },
  { method: "GET", path: "/api/keys" },
  { method: "POST", path: "/api/keys", body: ["name"] },
  { method: "DELETE", path: "/api/keys/{id}" },
  { method: "GET", path: "/api/flows" },
  { method: "PUT", path: "/api/flows", body: ["yaml", "baseVersion"] },
  { method: "POST", path: "/api/flows/test", body: ["url", "method", "server"] },
  {
    method: "GET",
    path: "/api/events",
    query: ["decision", "host", "server", "endpoint", "kind", "limit"],
  },
  { method: "GET", path: "/api/live", query: ["server", "host", "endpoint", "decision", "kind"] },
  { method: "GET", path: "/api/providers", query: ["window"] },
  { method: "POST", path: "/api/providers/approve", body: ["host", "createAllowlist"] },
  { method: "POST", path: "/api/providers/block", body: ["host", "createAllowlist"] },
  { method: "GET", path: "/api/providers/{host}/endpoints", query: ["window"] },
  { method: "GET", path: "/api/servers", query: ["window"] },
  { method: "GET", path: "/api/overview" },
  { method: "GET", path: "/api/agents" },
  { method: "GET", path: "/api/dead-letters", query: ["limit"] },
  { method: "GET", path: "/api/health" },
  // The catch-all for unknown paths, and the bare /api.
  { method: "GET", path: "/api/{path}" },
  { method: "POST", path: "/api/{path}", body: ["anything"] },
  { method: "GET", path: "/api" },
];
