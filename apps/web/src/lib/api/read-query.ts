import { AppError } from "@lunar/shared";

/**
 * The query string as one value per parameter, for a zod schema to check. An empty value
 * (`?host=`) is left out, meaning "any", as a form with an empty field sends it. A parameter
 * given twice is a 422: taking either value silently would answer a question nobody asked.
 */
export function readQuery(searchParams: URLSearchParams): Record<string, string> {
  const values = new Map<string, string>();
  const repeated = new Set<string>();
  for (const [name, value] of searchParams) {
    if (values.has(name)) repeated.add(name);
    values.set(name, value);
  }
  if (repeated.size > 0) {
    const fieldErrors = [...repeated].map((path) => ({ path, message: "given more than once" }));
    const first = fieldErrors[0] as { path: string; message: string };
    throw new AppError("validation_failed", `${first.path}: ${first.message}`, { fieldErrors });
  }
  return Object.fromEntries([...values].filter(([, value]) => value !== ""));
}
