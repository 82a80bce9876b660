import type { TProblem } from "@lunar/shared";

/** An API failure as the browser sees it: the problem document's detail and request id. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<TProblem>,
  ) {
    super(problem.detail ?? problem.title ?? `Request failed with status ${status}`);
    this.name = "ApiError";
  }
}

export async function apiFetch<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.body !== undefined) headers.set("content-type", "application/json");
  const response = await fetch(path, { ...init, headers, credentials: "same-origin" });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Partial<TProblem>;
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
