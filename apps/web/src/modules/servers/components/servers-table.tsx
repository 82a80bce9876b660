"use client";

import type { TServerSummary } from "@lunar/shared";
import { formatCount } from "@/modules/shell/components/format";
import { ServerRow } from "./server-row";

/** The second header row: each group's columns, the first of a group with its left border. */
const SUB_HEADERS = [
  { key: "tool-calls", label: "Calls", first: true },
  { key: "tool-errors", label: "Errors", first: false },
  { key: "tool-p50", label: "p50", first: false },
  { key: "tool-p95", label: "p95", first: false },
  { key: "outbound-calls", label: "Calls", first: true },
  { key: "outbound-blocked", label: "Blocked", first: false },
  { key: "outbound-errors", label: "Errors", first: false },
  { key: "outbound-hosts", label: "Hosts", first: false },
] as const;

/** One row per MCP server; names came from agents, so every one is rendered as text. */
export function ServersTable({ servers }: { servers: TServerSummary[] }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" rowSpan={2} className="px-3 py-3 align-bottom">
              MCP server
            </th>
            <th scope="col" rowSpan={2} className="px-3 py-3 align-bottom">
              Agents
            </th>
            <th scope="colgroup" colSpan={4} className="border-l border-slate-200 px-3 pt-3">
              Tool calls
            </th>
            <th scope="colgroup" colSpan={4} className="border-l border-slate-200 px-3 pt-3">
              Outbound calls
            </th>
          </tr>
          <tr>
            {SUB_HEADERS.map((header) => (
              <th
                key={header.key}
                scope="col"
                className={`px-3 pb-3 pt-1 text-right ${header.first ? "border-l border-slate-200" : ""}`}
              >
                {header.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {servers.map((server) => (
            <ServerRow key={server.name} server={server} />
          ))}
        </tbody>
      </table>
      <p className="border-t border-slate-100 px-3 py-2 text-xs text-slate-500">
        {formatCount(servers.length)} {servers.length === 1 ? "server" : "servers"}
      </p>
    </div>
  );
}
