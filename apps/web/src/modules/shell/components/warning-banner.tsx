import type { ReactNode } from "react";

/** The amber notice above a table that needs the user's attention (unknown hosts, say). */
export function WarningBanner({ testId, children }: { testId: string; children: ReactNode }) {
  return (
    <div
      role="status"
      data-testid={testId}
      className="rounded-xl border border-amber-300 bg-amber-50 px-5 py-3 text-sm text-amber-900"
    >
      {children}
    </div>
  );
}
