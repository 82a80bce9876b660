"use client";

import Link from "next/link";
import { DateTime } from "@/modules/shell/components/date-time";
import { useRecentEvents } from "../hooks/use-overview";

/** The last blocked outbound calls (24 h), each with the rule that blocked it. */
export function RecentBlocked() {
  const events = useRecentEvents({ decision: "blocked", kind: "http_call", limit: 10 });
  return (
    <section aria-label="Recently blocked" className="rounded-xl border border-slate-200 bg-white">
      <div className="flex items-center justify-between border-b border-slate-200 px-6 py-4">
        <h2 className="text-base font-semibold text-slate-900">Recently blocked calls</h2>
        <Link href="/live" className="text-sm font-medium text-brand-600 hover:text-brand-700">
          Live logs
        </Link>
      </div>
      {events.isPending ? (
        <p className="px-6 py-4 text-sm text-slate-500">Loading…</p>
      ) : events.error ? (
        <p role="alert" className="px-6 py-4 text-sm text-red-600">
          {events.error.message}
        </p>
      ) : events.data.events.length === 0 ? (
        <p className="px-6 py-4 text-sm text-slate-600">
          No call was blocked in the last 24 hours.
        </p>
      ) : (
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-6 py-2">
                When
              </th>
              <th scope="col" className="px-6 py-2">
                Server
              </th>
              <th scope="col" className="px-6 py-2">
                Call
              </th>
              <th scope="col" className="px-6 py-2">
                Rule
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {events.data.events.map((event) => (
              <tr key={event.id} data-testid="recent-blocked" className="align-top text-slate-700">
                <td className="whitespace-nowrap px-6 py-2 text-xs">
                  <DateTime iso={event.occurredAt} />
                </td>
                <td className="px-6 py-2 font-medium text-slate-900">{event.server}</td>
                <td
                  className="max-w-md truncate px-6 py-2 font-mono text-xs"
                  title={`${event.method ?? ""} ${event.host ?? ""}${event.path ?? ""}`}
                >
                  {event.method} {event.host}
                  {event.path}
                </td>
                <td className="px-6 py-2 font-mono text-xs">{event.rule ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
