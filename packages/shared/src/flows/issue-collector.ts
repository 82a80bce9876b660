import type { IssuePath, PathIssue } from "./flows-issue";
import { FLOWS_LIMITS } from "./limits";

/** Gathers errors and warnings while a document is read, so all of them are reported at once. */
export class IssueCollector {
  readonly errors: PathIssue[] = [];
  readonly warnings: PathIssue[] = [];

  error(path: IssuePath, message: string, onKey = false): void {
    if (this.errors.length < FLOWS_LIMITS.maxIssues) this.errors.push({ path, message, onKey });
  }

  warn(path: IssuePath, message: string): void {
    if (this.warnings.length < FLOWS_LIMITS.maxIssues) this.warnings.push({ path, message });
  }
}

/** A plain object (what a YAML or JSON mapping becomes), not an array, Buffer or Date. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

export function describeType(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (isPlainRecord(value)) return "a mapping";
  return `a ${typeof value}`;
}
