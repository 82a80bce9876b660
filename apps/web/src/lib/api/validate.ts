import { AppError } from "@lunar/shared";
import type { z } from "zod";

/** Parses with a zod schema; failures become a 422 listing each field and what is wrong. */
export function validate<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors = parsed.error.issues.map((issue) => ({
    path: issue.path.join("."),
    message: issue.message,
  }));
  const first = fieldErrors[0];
  const summary = first ? `${first.path || "body"}: ${first.message}` : "Invalid input";
  throw new AppError("validation_failed", summary, { fieldErrors });
}
