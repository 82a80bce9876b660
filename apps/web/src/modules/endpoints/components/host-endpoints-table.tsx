import type { THostEndpoint } from "@lunar/shared";
import { formatCount } from "@/modules/shell/components/format";
import { HostEndpointRow } from "./host-endpoint-row";

const HEADERS = [
  { label: "Method", numeric: false },
  { label: "Endpoint", numeric: false },
  { label: "Calls", numeric: true },
  { label: "Errors", numeric: true },
  { label: "Blocked", numeric: true },
  { label: "p50", numeric: true },
  { label: "p95", numeric: true },
  { label: "Servers", numeric: false },
  { label: "Last seen", numeric: false },
] as const;

/** One row per endpoint (method and template) of one host. */
export function HostEndpointsTable({
  host,
  endpoints,
}: {
  host: string;
  endpoints: THostEndpoint[];
}) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            {HEADERS.map((header) => (
              <th
                key={header.label}
                scope="col"
                className={`px-3 py-3 ${header.numeric ? "text-right" : ""}`}
              >
                {header.label}
              </th>
            ))}
            <th scope="col" className="px-3 py-3">
              <span className="sr-only">Live logs</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {endpoints.map((endpoint) => (
            <HostEndpointRow
              key={`${endpoint.method} ${endpoint.template}`}
              host={host}
              endpoint={endpoint}
            />
          ))}
        </tbody>
      </table>
      <p className="border-t border-slate-100 px-3 py-2 text-xs text-slate-500">
        {formatCount(endpoints.length)} {endpoints.length === 1 ? "endpoint" : "endpoints"}
      </p>
    </div>
  );
}
