import { AppError, isStorableText } from "@lunar/shared";
import type { z } from "zod";

/**
 * Parses with a zod schema. Failures become a 422 listing each field and what is wrong, except
 * text Postgres cannot hold (a NUL or an unpaired surrogate, refused by ZStorableText): that is
 * unreadable input rather than a wrong value, a 400 `bad_request` whose detail names that field
 * (the list still has every problem, those fields first).
 */
export function validate<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.join("."),
    message: issue.message,
    unstorable: issue.code === "custom" && isUnstorable(valueAt(input, issue.path)),
  }));
  const unstorable = issues.some((issue) => issue.unstorable);
  const fieldErrors = [
    ...issues.filter((issue) => issue.unstorable),
    ...issues.filter((issue) => !issue.unstorable),
  ].map(({ path, message }) => ({ path, message }));
  const first = fieldErrors[0];
  const summary = first ? `${first.path || "body"}: ${first.message}` : "Invalid input";
  throw new AppError(unstorable ? "bad_request" : "validation_failed", summary, { fieldErrors });
}

function isUnstorable(value: unknown): boolean {
  return typeof value === "string" && !isStorableText(value);
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
