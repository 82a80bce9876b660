"use client";

import type { TOverview } from "@lunar/shared";
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

const minuteFormat = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit" });

/** Calls per minute over the last hour, from the 1-minute rollups (zeros are real zeros). */
export function CallsChart({ perMinute }: { perMinute: TOverview["perMinute"] }) {
  const data = perMinute.map((point) => ({
    ...point,
    label: minuteFormat.format(new Date(point.minute)),
  }));
  return (
    <div className="h-64 w-full" data-testid="calls-chart">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#64748b" }} interval={9} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "#64748b" }} width={40} />
          <Tooltip contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Area
            type="linear"
            dataKey="outboundCalls"
            name="Outbound calls"
            stroke="#4f46e5"
            fill="#e0e7ff"
            isAnimationActive={false}
          />
          <Area
            type="linear"
            dataKey="toolCalls"
            name="Tool calls"
            stroke="#0f766e"
            fill="#ccfbf1"
            isAnimationActive={false}
          />
          <Area
            type="linear"
            dataKey="blocked"
            name="Blocked"
            stroke="#dc2626"
            fill="#fee2e2"
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
