"use client";

import type { THostEndpointsPage, TTrafficWindow } from "@lunar/shared";
import { useState } from "react";
import { formatCount } from "@/modules/shell/components/format";
import {
  TRAFFIC_WINDOW_TEXT,
  TrafficWindowPicker,
} from "@/modules/shell/components/traffic-window-picker";
import { useHostEndpoints } from "../hooks/use-host-endpoints";
import { HostEndpointsEmptyState } from "./host-endpoints-empty-state";
import { HostEndpointsTable } from "./host-endpoints-table";
import { HostHeader } from "./host-header";

export function HostEndpointsPanel({ initial }: { initial: THostEndpointsPage }) {
  const [trafficWindow, setTrafficWindow] = useState<TTrafficWindow>(initial.window);
  const query = useHostEndpoints(initial, trafficWindow);
  const page = query.data ?? initial;
  return (
    <>
      {/* From the refetched page: an approve or block elsewhere shows here too. */}
      <HostHeader provider={page.provider} />
      <div className="space-y-4">
        <TrafficWindowPicker
          value={trafficWindow}
          onChange={setTrafficWindow}
          loading={query.isPlaceholderData || query.data === undefined}
        />
        {page.endpoints.length === 0 ? (
          <HostEndpointsEmptyState />
        ) : (
          <>
            <p className="text-sm text-slate-600">
              Totals cover the last {TRAFFIC_WINDOW_TEXT[page.window]}; an endpoint seen only before
              that is listed with no calls. Last seen is its latest call at any time.
            </p>
            {page.truncated && (
              <p role="status" className="text-sm font-medium text-amber-800">
                Only the first {formatCount(page.endpoints.length)} endpoints are listed (most calls
                first).
              </p>
            )}
            <HostEndpointsTable host={page.provider.host} endpoints={page.endpoints} />
          </>
        )}
      </div>
    </>
  );
}
