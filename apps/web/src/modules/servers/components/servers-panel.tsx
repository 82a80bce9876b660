"use client";

import type { TServersPage, TTrafficWindow } from "@lunar/shared";
import Link from "next/link";
import { useState } from "react";
import { formatCount } from "@/modules/shell/components/format";
import {
  TRAFFIC_WINDOW_TEXT,
  TrafficWindowPicker,
} from "@/modules/shell/components/traffic-window-picker";
import { WarningBanner } from "@/modules/shell/components/warning-banner";
import { useServers } from "../hooks/use-servers";
import { ServersEmptyState } from "./servers-empty-state";
import { ServersTable } from "./servers-table";

export function ServersPanel({
  initial,
  gatewayUrl,
}: {
  initial: TServersPage;
  gatewayUrl: string;
}) {
  const [trafficWindow, setTrafficWindow] = useState<TTrafficWindow>(initial.window);
  const query = useServers(initial, trafficWindow);
  const page = query.data ?? initial;
  // Refetched every 30 s: the first agent's servers replace this without a reload.
  if (page.servers.length === 0) return <ServersEmptyState gatewayUrl={gatewayUrl} />;
  const calling = page.servers.filter((server) => server.outbound.unknownHosts > 0).length;
  return (
    <div className="space-y-4">
      {calling > 0 && (
        <WarningBanner testId="unknown-hosts-servers-banner">
          <span className="font-semibold">
            {formatCount(calling)} MCP {calling === 1 ? "server" : "servers"} called unknown hosts
          </span>{" "}
          in the last {TRAFFIC_WINDOW_TEXT[page.window]}: hosts nobody approved or blocked.{" "}
          <Link href="/providers" className="font-medium underline hover:text-amber-950">
            Review them on Providers
          </Link>
          .
        </WarningBanner>
      )}
      <TrafficWindowPicker
        value={trafficWindow}
        onChange={setTrafficWindow}
        loading={query.isPlaceholderData || query.data === undefined}
      />
      <p className="text-sm text-slate-600">
        Servers come from your agents' configs and from the traffic they report. Totals cover the
        last {TRAFFIC_WINDOW_TEXT[page.window]}; Hosts counts the distinct hosts a server called,
        and how many of them are still unknown.
      </p>
      {page.truncated && (
        <p role="status" className="text-sm font-medium text-amber-800">
          Only the first {formatCount(page.servers.length)} servers are listed (those calling
          unknown hosts first, then by name).
        </p>
      )}
      <ServersTable servers={page.servers} />
    </div>
  );
}
