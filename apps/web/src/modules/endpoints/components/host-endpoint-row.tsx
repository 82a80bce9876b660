import type { THostEndpoint } from "@lunar/shared";
import Link from "next/link";
import { liveLogsUrl } from "@/modules/live/lib/live-filter-from-params";
import { DateTime } from "@/modules/shell/components/date-time";
import { CountCell, LatencyCell } from "@/modules/shell/components/figure-cells";
import { formatCount } from "@/modules/shell/components/format";

/** One endpoint of the host; method, template and server names came from agents: text only. */
export function HostEndpointRow({ host, endpoint }: { host: string; endpoint: THostEndpoint }) {
  return (
    <tr data-testid="endpoint-row" className="align-top text-slate-700">
      <td data-testid="endpoint-method" className="px-3 py-3 font-mono text-xs font-semibold">
        {endpoint.method}
      </td>
      <td className="min-w-48 max-w-md px-3 py-3">
        <span
          data-testid="endpoint-template"
          className="font-mono text-xs text-slate-900 [overflow-wrap:anywhere]"
        >
          {endpoint.template}
        </span>
      </td>
      <CountCell testId="endpoint-calls" value={endpoint.calls} />
      <CountCell testId="endpoint-errors" value={endpoint.errors} />
      <CountCell testId="endpoint-blocked" value={endpoint.blocked} />
      <LatencyCell testId="endpoint-p50" value={endpoint.p50Ms} />
      <LatencyCell testId="endpoint-p95" value={endpoint.p95Ms} />
      <td data-testid="endpoint-servers" className="max-w-48 px-3 py-3 text-xs">
        <Servers endpoint={endpoint} />
      </td>
      <td data-testid="endpoint-last-seen" className="whitespace-nowrap px-3 py-3 text-xs">
        <DateTime iso={endpoint.lastSeenAt} fallback="–" format="short" />
      </td>
      <td className="whitespace-nowrap px-3 py-3 text-right">
        <Link
          href={liveLogsUrl({ host, endpoint: endpoint.template })}
          aria-label={`Live logs of ${endpoint.method} ${endpoint.template}`}
          className="text-xs font-medium text-brand-600 hover:text-brand-700"
        >
          Live logs →
        </Link>
      </td>
    </tr>
  );
}

function Servers({ endpoint }: { endpoint: THostEndpoint }) {
  if (endpoint.serverCount === 0) return <span className="text-slate-400">none</span>;
  const more = endpoint.serverCount - endpoint.servers.length;
  return (
    <ul className="space-y-0.5 text-slate-600">
      {endpoint.servers.map((server) => (
        <li key={server} className="truncate" title={server}>
          {server}
        </li>
      ))}
      {more > 0 && <li className="text-slate-500">and {formatCount(more)} more</li>}
    </ul>
  );
}
