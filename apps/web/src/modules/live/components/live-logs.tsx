"use client";

import type { TLiveFilter } from "@lunar/shared";
import { type FormEvent, useState } from "react";
import { EmptyState } from "@/modules/shell/components/empty-state";
import { useLiveEvents } from "../hooks/use-live-events";
import { liveLogsUrl } from "../lib/live-filter-from-params";
import { LiveEventRow } from "./live-event-row";

const STATUS_TEXT = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
} as const;

/** The stream, filtered from the start by what the page's URL asks for (`/live?server=…`). */
export function LiveLogs({ initialFilter = {} }: { initialFilter?: TLiveFilter }) {
  const [filter, setFilter] = useState<TLiveFilter>(initialFilter);
  const { events, status } = useLiveEvents(filter);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? "").trim() || undefined;
    const decision = value("decision");
    const next: TLiveFilter = {
      server: value("server"),
      host: value("host"),
      endpoint: value("endpoint"),
      decision: decision === "allowed" || decision === "blocked" ? decision : undefined,
    };
    setFilter(next);
    // The address follows the form, so a filtered view can be reloaded or shared.
    window.history.replaceState(null, "", liveLogsUrl(next));
  }

  return (
    <div className="space-y-4">
      <form
        onSubmit={onSubmit}
        className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4"
      >
        <Field name="server" label="MCP server" placeholder="any" value={initialFilter.server} />
        <Field name="host" label="Host" placeholder="any" value={initialFilter.host} />
        <Field
          name="endpoint"
          label="Endpoint or tool"
          placeholder="any"
          value={initialFilter.endpoint}
        />
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">Decision</span>
          <select
            name="decision"
            defaultValue={initialFilter.decision ?? ""}
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          >
            <option value="">any</option>
            <option value="allowed">allowed</option>
            <option value="blocked">blocked</option>
          </select>
        </label>
        <button
          type="submit"
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700"
        >
          Apply
        </button>
        <span data-testid="live-status" className="ml-auto text-sm text-slate-500">
          {STATUS_TEXT[status]}
        </span>
      </form>
      {events.length === 0 ? (
        <EmptyState title="Waiting for traffic">
          <p>
            No call in the last 24 hours matches. Tool calls and outbound calls appear here the
            moment an agent's gateway stores them. Blocked calls are marked with the rule that
            blocked them.
          </p>
        </EmptyState>
      ) : (
        <div className="overflow-hidden rounded-xl border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">Time</th>
                <th className="px-4 py-2">Server</th>
                <th className="px-4 py-2">Call</th>
                <th className="px-4 py-2">Status</th>
                <th className="px-4 py-2 text-right">Duration</th>
                <th className="px-4 py-2">Decision</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.map((event) => (
                <LiveEventRow key={event.id} event={event} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Field({
  name,
  label,
  placeholder,
  value,
}: {
  name: string;
  label: string;
  placeholder: string;
  /** The field's starting value (the form is uncontrolled). */
  value?: string;
}) {
  return (
    <label className="text-sm">
      <span className="mb-1 block font-medium text-slate-700">{label}</span>
      <input
        name={name}
        defaultValue={value}
        placeholder={placeholder}
        className="rounded-md border border-slate-300 px-3 py-2 text-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
      />
    </label>
  );
}
