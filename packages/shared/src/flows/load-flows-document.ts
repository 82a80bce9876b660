import type { FlowsDocument } from "./flow-types";
import { type FlowsIssue, formatIssuePath, type PathIssue } from "./flows-issue";
import { validateFlowsDocument } from "./validate-flows";

export type FlowsDocumentLoad =
  | {
      readonly ok: true;
      readonly document: FlowsDocument;
      readonly warnings: readonly FlowsIssue[];
    }
  | {
      readonly ok: false;
      readonly errors: readonly FlowsIssue[];
      readonly warnings: readonly FlowsIssue[];
    };

/**
 * Reads flows already parsed into plain values: the JSON `document` of the protocol's `flows`
 * frame, or a database row. Issues carry their path; there are no lines to point at.
 */
export function loadFlowsDocument(value: unknown): FlowsDocumentLoad {
  const validation = validateFlowsDocument(value);
  return validation.ok
    ? { ok: true, document: validation.document, warnings: validation.warnings.map(withoutLine) }
    : {
        ok: false,
        errors: validation.errors.map(withoutLine),
        warnings: validation.warnings.map(withoutLine),
      };
}

function withoutLine(issue: PathIssue): FlowsIssue {
  return { message: issue.message, path: formatIssuePath(issue.path), line: null, column: null };
}
