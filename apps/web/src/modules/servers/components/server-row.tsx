import type { TServerSummary } from "@lunar/shared";
import Link from "next/link";
import { Fragment } from "react";
import { liveLogsUrl } from "@/modules/live/lib/live-filter-from-params";
import { CountCell, LatencyCell } from "@/modules/shell/components/figure-cells";
import { formatCount } from "@/modules/shell/components/format";

/** Agent names shown per server; the rest are counted. */
const AGENTS_SHOWN = 3;

export function ServerRow({ server }: { server: TServerSummary }) {
  const { toolCalls, outbound } = server;
  const unknown = outbound.unknownHosts > 0;
  return (
    <tr
      data-testid="server-row"
      className={`align-top text-slate-700 ${unknown ? "bg-amber-50/60" : ""}`}
    >
      <td className="min-w-36 max-w-xs px-3 py-3">
        <span
          data-testid="server-name"
          className="font-mono text-xs font-medium text-slate-900 [overflow-wrap:anywhere]"
        >
          {server.name}
        </span>
        <span data-testid="server-transports" className="mt-1 block text-xs text-slate-500">
          {server.transports.length > 0
            ? server.transports.join(", ")
            : "not in any agent's config"}
        </span>
        <Link
          href={liveLogsUrl({ server: server.name })}
          aria-label={`Live logs of ${server.name}`}
          className="mt-1 inline-block text-xs font-medium text-brand-600 hover:text-brand-700"
        >
          Live logs →
        </Link>
      </td>
      <td className="max-w-52 px-3 py-3 text-xs">
        <Agents agents={server.agents} />
      </td>
      <CountCell testId="tool-calls" value={toolCalls.count} groupStart />
      <CountCell testId="tool-errors" value={toolCalls.errors} />
      <LatencyCell testId="tool-p50" value={toolCalls.p50Ms} />
      <LatencyCell testId="tool-p95" value={toolCalls.p95Ms} />
      <CountCell testId="outbound-calls" value={outbound.calls} groupStart />
      <CountCell testId="outbound-blocked" value={outbound.blocked} />
      <CountCell testId="outbound-errors" value={outbound.errors} />
      <td className="px-3 py-3 text-right">
        <span data-testid="outbound-hosts" className="tabular-nums">
          {formatCount(outbound.hosts)}
        </span>
        {unknown && <UnknownHosts outbound={outbound} />}
      </td>
    </tr>
  );
}

function Agents({ agents }: { agents: TServerSummary["agents"] }) {
  if (agents.length === 0) return <span className="text-slate-400">none</span>;
  const connected = agents.filter((agent) => agent.connected).length;
  const hidden = agents.length - AGENTS_SHOWN;
  return (
    <>
      <span
        data-testid="server-agents-connected"
        className={connected > 0 ? "font-medium text-emerald-700" : "text-slate-500"}
      >
        {connected} of {agents.length} connected
      </span>
      <ul className="mt-1 space-y-0.5 text-slate-600">
        {agents.slice(0, AGENTS_SHOWN).map((agent) => (
          <li key={agent.id} className="truncate" title={agent.name}>
            {agent.name}
          </li>
        ))}
        {hidden > 0 && <li className="text-slate-500">and {formatCount(hidden)} more</li>}
      </ul>
    </>
  );
}

/** What the user must notice: a server talking to hosts nobody approved. */
function UnknownHosts({ outbound }: { outbound: TServerSummary["outbound"] }) {
  const more = outbound.unknownHosts - outbound.unknownHostNames.length;
  return (
    <>
      <span
        data-testid="unknown-hosts-badge"
        className="mt-1 block whitespace-nowrap rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-semibold text-amber-900 ring-1 ring-amber-400 ring-inset"
      >
        ⚠ {formatCount(outbound.unknownHosts)} unknown{" "}
        {outbound.unknownHosts === 1 ? "host" : "hosts"}
      </span>
      <ul
        data-testid="unknown-host-names"
        className="mt-1 ml-auto max-w-60 space-y-1 font-mono text-xs text-amber-900 [overflow-wrap:anywhere]"
      >
        {outbound.unknownHostNames.map((host) => (
          <li key={host}>
            <BreakAfterDots text={host} />
          </li>
        ))}
        {more > 0 && <li className="font-sans">and {formatCount(more)} more</li>}
      </ul>
    </>
  );
}

/** A host name that wraps between its labels rather than inside one (still plain text). */
function BreakAfterDots({ text }: { text: string }) {
  return text.split(".").map((label, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: the labels of one fixed string, never reordered
    <Fragment key={i}>
      {i > 0 && (
        <>
          .<wbr />
        </>
      )}
      {label}
    </Fragment>
  ));
}
