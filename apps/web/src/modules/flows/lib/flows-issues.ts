import type { FlowsIssue, TFlowsIssue } from "@lunar/shared";

/** An engine issue as the API reports it: `path` is "line:column", the message names the flow path. */
export function toApiIssue(issue: FlowsIssue): TFlowsIssue {
  return {
    path: issue.line !== null ? `${issue.line}:${issue.column ?? 1}` : "",
    message: issue.path ? `${issue.path}: ${issue.message}` : issue.message,
  };
}

/** The line an API issue points at, or null ("7:11" → 7). */
export function issueLine(issue: TFlowsIssue): number | null {
  const line = Number(issue.path.split(":")[0]);
  return Number.isInteger(line) && line > 0 ? line : null;
}
