import type { ReactNode } from "react";

/** What a page shows before there is data: what will appear here and what to do to get it. */
export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children: ReactNode;
  action?: ReactNode;
}) {
  return (
    <section className="rounded-xl border border-dashed border-slate-300 bg-white px-8 py-12 text-center">
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      <div className="mx-auto mt-2 max-w-xl space-y-3 text-sm text-slate-600">{children}</div>
      {action && <div className="mt-6 flex justify-center">{action}</div>}
    </section>
  );
}
