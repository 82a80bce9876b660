"use client";

import type { TProviderSummary, TProvidersPage, TTrafficWindow } from "@lunar/shared";
import { useState } from "react";
import { EmptyState } from "@/modules/shell/components/empty-state";
import { formatCount } from "@/modules/shell/components/format";
import {
  TRAFFIC_WINDOW_TEXT,
  TrafficWindowPicker,
} from "@/modules/shell/components/traffic-window-picker";
import { WarningBanner } from "@/modules/shell/components/warning-banner";
import { useProviders } from "../hooks/use-providers";
import { ProvidersTable } from "./providers-table";

export interface ProviderGroup {
  domain: string;
  hosts: TProviderSummary[];
}

/** Hosts grouped by registrable domain; groups with unknown hosts first (the API's order). */
function groupByDomain(providers: TProviderSummary[]): ProviderGroup[] {
  const groups = new Map<string, ProviderGroup>();
  for (const provider of providers) {
    let group = groups.get(provider.domain);
    if (!group) {
      group = { domain: provider.domain, hosts: [] };
      groups.set(provider.domain, group);
    }
    group.hosts.push(provider);
  }
  return [...groups.values()];
}

export function ProvidersPanel({ initial }: { initial: TProvidersPage }) {
  const [trafficWindow, setTrafficWindow] = useState<TTrafficWindow>(initial.window);
  const query = useProviders(initial, trafficWindow);
  const page = query.data ?? initial;
  if (page.providers.length === 0) {
    return (
      <EmptyState title="No outbound calls seen yet">
        <p>
          When an agent reports its first outbound call, the provider appears here. Domains nobody
          approved are flagged as unknown the moment they are first contacted.
        </p>
      </EmptyState>
    );
  }
  const unknown = page.providers.filter((provider) => provider.status === "unknown").length;
  return (
    <div className="space-y-4">
      {unknown > 0 && (
        <WarningBanner testId="unknown-hosts-banner">
          <span className="font-semibold">
            {formatCount(unknown)} unknown {unknown === 1 ? "host" : "hosts"}:
          </span>{" "}
          contacted by your MCP servers and never approved or blocked. Review them below.
        </WarningBanner>
      )}
      <TrafficWindowPicker
        value={trafficWindow}
        onChange={setTrafficWindow}
        loading={query.isPlaceholderData || query.data === undefined}
      />
      <p className="text-sm text-slate-600">
        {page.hasAllowlist
          ? `An allowlist is in force (flows version ${page.flowsVersion}): Approve adds a host to it, Block adds a deny rule.`
          : "No allowlist: every host is allowed and recorded. Block adds a deny rule; the first Approve creates an allowlist (default-deny for every other host)."}{" "}
        Totals cover the last {TRAFFIC_WINDOW_TEXT[page.window]}; the Flows column is what the
        org-wide flows in force decide for https to the host.
      </p>
      {page.truncated && (
        <p role="status" className="text-sm font-medium text-amber-800">
          Only the first {formatCount(page.providers.length)} hosts are listed (unknown hosts first,
          then the most recently seen).
        </p>
      )}
      <ProvidersTable
        groups={groupByDomain(page.providers)}
        hasAllowlist={page.hasAllowlist}
        hostCount={page.providers.length}
      />
    </div>
  );
}
