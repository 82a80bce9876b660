import type { TFlowsState } from "@lunar/shared";
import { DateTime } from "@/modules/shell/components/date-time";

export function FlowsHistory({ state }: { state: TFlowsState }) {
  return (
    <section aria-label="History" className="rounded-xl border border-slate-200 bg-white">
      <h2 className="border-b border-slate-200 px-6 py-4 text-base font-semibold text-slate-900">
        History
      </h2>
      {state.history.length === 0 ? (
        <p className="px-6 py-4 text-sm text-slate-600">No version saved yet.</p>
      ) : (
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-2">
                Version
              </th>
              <th scope="col" className="px-4 py-2">
                Author
              </th>
              <th scope="col" className="px-4 py-2">
                Saved
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {state.history.map((row) => (
              <tr key={row.version} data-testid="flows-history-row" className="text-slate-700">
                <td className="whitespace-nowrap px-4 py-2 font-medium text-slate-900">
                  v{row.version}
                  {row.version === state.version && (
                    <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
                      in force
                    </span>
                  )}
                </td>
                <td className="max-w-40 truncate px-4 py-2" title={row.author ?? undefined}>
                  {row.author ?? "—"}
                </td>
                <td className="whitespace-nowrap px-4 py-2">
                  <DateTime iso={row.createdAt} format="short" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
