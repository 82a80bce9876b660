"use client";

import type { TAgentSummary, TAgentsPage } from "@lunar/shared";
import { DateTime } from "@/modules/shell/components/date-time";
import { formatCount } from "@/modules/shell/components/format";
import { useAgents } from "../hooks/use-agents";

/** Every agent of the org; names, versions and server names came from agents: text only. */
export function AgentsTable({ initial }: { initial: TAgentsPage }) {
  const { agents, currentFlowsVersion } = useAgents(initial).data;
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-6 py-3">
              Agent
            </th>
            <th scope="col" className="px-6 py-3">
              Version
            </th>
            <th scope="col" className="px-6 py-3">
              Connection
            </th>
            <th scope="col" className="px-6 py-3">
              MCP servers
            </th>
            <th scope="col" className="px-6 py-3">
              Flows
            </th>
            <th scope="col" className="px-6 py-3 text-right">
              Dropped events
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {agents.map((agent) => (
            <AgentRow key={agent.id} agent={agent} currentFlowsVersion={currentFlowsVersion} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AgentRow({
  agent,
  currentFlowsVersion,
}: {
  agent: TAgentSummary;
  currentFlowsVersion: number;
}) {
  return (
    <tr data-testid="agent-row" className="align-top text-slate-700">
      <td className="max-w-56 px-6 py-4">
        <span className="break-all font-medium text-slate-900">{agent.name}</span>
        <span className="mt-0.5 block font-mono text-xs text-slate-400" title={agent.id}>
          {agent.id.slice(0, 8)}
        </span>
      </td>
      <td className="max-w-32 break-all px-6 py-4 font-mono text-xs">{agent.version}</td>
      <td className="whitespace-nowrap px-6 py-4">
        {agent.connected ? (
          <span className="rounded-full bg-emerald-100 px-2.5 py-0.5 text-xs font-medium text-emerald-800">
            Connected
          </span>
        ) : (
          <span className="rounded-full bg-slate-100 px-2.5 py-0.5 text-xs font-medium text-slate-600">
            Disconnected
          </span>
        )}
        <span className="mt-1 block text-xs text-slate-500">
          last seen <DateTime iso={agent.lastSeenAt} />
        </span>
      </td>
      <td className="px-6 py-4">
        {agent.servers.length === 0 ? (
          <span className="text-slate-400">none</span>
        ) : (
          <ul className="flex max-w-xs flex-wrap gap-1.5">
            {agent.servers.map((server) => (
              <li
                key={server.name}
                className="rounded-md bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-700"
                title={server.transport}
              >
                {server.name}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="whitespace-nowrap px-6 py-4 text-xs">
        <FlowsVersion agent={agent} current={currentFlowsVersion} />
      </td>
      <td
        className={`px-6 py-4 text-right tabular-nums ${agent.droppedEvents > 0 ? "font-semibold text-amber-700" : ""}`}
      >
        {formatCount(agent.droppedEvents)}
      </td>
    </tr>
  );
}

function FlowsVersion({ agent, current }: { agent: TAgentSummary; current: number }) {
  if (agent.flowsVersion === null) return <span className="text-slate-500">not reported</span>;
  const label = agent.flowsVersion === 0 ? "none" : `v${agent.flowsVersion}`;
  if (agent.flowsVersion === current) {
    return <span className="text-emerald-700">{label} (current)</span>;
  }
  return (
    <span className="text-amber-700" title={`The organization's flows are at version ${current}`}>
      {label}, behind v{current}
    </span>
  );
}
