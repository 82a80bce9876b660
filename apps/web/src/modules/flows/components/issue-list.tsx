import type { TFlowsIssue } from "@lunar/shared";
import { issueLine } from "../lib/flows-issues";

/** Errors or warnings with line:column, the offending line's text, and a way to jump to it. */
export function IssueList({
  kind,
  issues,
  text,
  onGoToLine,
}: {
  kind: "error" | "warning";
  issues: readonly TFlowsIssue[];
  text: string;
  onGoToLine: (line: number) => void;
}) {
  if (issues.length === 0) return null;
  const lines = text.split("\n");
  const error = kind === "error";
  return (
    <div
      role={error ? "alert" : "status"}
      className={`rounded-lg border px-4 py-3 text-sm ${error ? "border-red-200 bg-red-50 text-red-900" : "border-amber-200 bg-amber-50 text-amber-900"}`}
    >
      <p className="font-semibold">
        {error
          ? `Not saved: ${issues.length === 1 ? "1 error" : `${issues.length} errors`}`
          : `${issues.length === 1 ? "1 warning" : `${issues.length} warnings`}`}
      </p>
      <ul className="mt-2 space-y-2">
        {issues.map((issue, index) => {
          const line = issueLine(issue);
          const source = line !== null ? lines[line - 1] : undefined;
          return (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: issues have no identity; the list is replaced whole
              key={index}
              data-testid={error ? "flows-error" : "flows-warning"}
              className="space-y-1"
            >
              <div className="flex flex-wrap items-baseline gap-x-2">
                {line !== null ? (
                  <button
                    type="button"
                    onClick={() => onGoToLine(line)}
                    className="font-mono text-xs font-semibold underline underline-offset-2"
                    title="Go to this line"
                  >
                    {issue.path}
                  </button>
                ) : (
                  <span className="font-mono text-xs font-semibold">document</span>
                )}
                <span className="break-words">{issue.message}</span>
              </div>
              {source !== undefined && (
                <pre className="overflow-x-auto rounded bg-white/70 px-2 py-1 font-mono text-xs">
                  <span className="select-none text-slate-400">{line} │ </span>
                  {source}
                </pre>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
