"use client";

import type { TOverview } from "@lunar/shared";
import Link from "next/link";
import { formatCount } from "@/modules/shell/components/format";
import { useOverview } from "../hooks/use-overview";
import { CallsChart } from "./calls-chart";
import { RecentBlocked } from "./recent-blocked";

export function OverviewPanel({ initial }: { initial: TOverview }) {
  const overview = useOverview(initial).data;
  const figures = [
    { label: "Tool calls", value: overview.last24h.toolCalls, testId: "figure-tool-calls" },
    {
      label: "Outbound calls",
      value: overview.last24h.outboundCalls,
      testId: "figure-outbound-calls",
    },
    {
      label: "Blocked",
      value: overview.last24h.blocked,
      testId: "figure-blocked",
      alert: overview.last24h.blocked > 0,
    },
    {
      label: "Unknown hosts",
      value: overview.last24h.unknownHosts,
      testId: "figure-unknown-hosts",
      alert: overview.last24h.unknownHosts > 0,
      href: "/providers",
    },
    {
      label: "Agents connected now",
      value: overview.connectedAgents,
      testId: "figure-connected-agents",
      href: "/agents",
    },
  ];
  return (
    <div className="space-y-6">
      <section aria-label="Last 24 hours">
        <p className="mb-3 text-xs font-semibold uppercase tracking-wide text-slate-500">
          Last 24 hours
        </p>
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
          {figures.map((figure) => {
            const body = (
              <>
                <p className="text-xs font-medium text-slate-500">{figure.label}</p>
                <p
                  data-testid={figure.testId}
                  className={`mt-1 text-2xl font-semibold tabular-nums ${figure.alert ? "text-amber-700" : "text-slate-900"}`}
                >
                  {formatCount(figure.value)}
                </p>
              </>
            );
            const className = `block rounded-xl border bg-white px-5 py-4 ${figure.alert ? "border-amber-300" : "border-slate-200"}`;
            return figure.href ? (
              <Link
                key={figure.label}
                href={figure.href}
                className={`${className} hover:border-brand-500`}
              >
                {body}
              </Link>
            ) : (
              <div key={figure.label} className={className}>
                {body}
              </div>
            );
          })}
        </div>
      </section>
      <section
        aria-label="Calls per minute"
        className="rounded-xl border border-slate-200 bg-white p-6"
      >
        <h2 className="mb-4 text-base font-semibold text-slate-900">Calls per minute, last hour</h2>
        <CallsChart perMinute={overview.perMinute} />
      </section>
      <RecentBlocked />
    </div>
  );
}
