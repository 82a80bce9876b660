import type { TLiveEvent } from "@lunar/shared";

const time = new Intl.DateTimeFormat("en", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

function DecisionBadge({ event }: { event: TLiveEvent }) {
  if (event.kind === "tool_call") {
    const ok = event.outcome === "ok";
    return (
      <span
        className={`rounded-full px-2 py-0.5 text-xs font-medium ${ok ? "bg-slate-100 text-slate-700" : "bg-amber-100 text-amber-800"}`}
      >
        tool {event.outcome}
      </span>
    );
  }
  const blocked = event.decision === "blocked";
  return (
    <span
      title={event.rule ?? undefined}
      className={`rounded-full px-2 py-0.5 text-xs font-medium ${blocked ? "bg-red-100 text-red-800" : "bg-emerald-100 text-emerald-800"}`}
    >
      {blocked ? "blocked" : "allowed"}
    </span>
  );
}

/** One event; every string in it came from an agent, so it is rendered as text only. */
export function LiveEventRow({ event }: { event: TLiveEvent }) {
  const target =
    event.kind === "tool_call"
      ? event.tool
      : `${event.method ?? ""} ${event.host ?? ""}${event.path ?? ""}`;
  return (
    <tr data-testid="live-event" className="align-top">
      <td className="whitespace-nowrap px-4 py-2 font-mono text-xs text-slate-500">
        <time dateTime={event.occurredAt}>{time.format(new Date(event.occurredAt))}</time>
      </td>
      <td className="px-4 py-2 text-sm font-medium text-slate-900">{event.server}</td>
      <td className="px-4 py-2 font-mono text-xs text-slate-700">
        {/* A table cell's own max-width does not bind in an auto-layout table: a long call
            pushed the Decision column out of view. */}
        <span className="block max-w-md truncate 2xl:max-w-2xl" title={target ?? ""}>
          {target}
        </span>
      </td>
      <td className="px-4 py-2 text-sm text-slate-700">
        {event.status ?? event.networkError ?? (event.kind === "tool_call" ? "" : "–")}
      </td>
      <td className="whitespace-nowrap px-4 py-2 text-right text-sm tabular-nums text-slate-700">
        {event.durationMs.toFixed(1)} ms
      </td>
      <td className="px-4 py-2">
        <DecisionBadge event={event} />
      </td>
    </tr>
  );
}
