"use client";

import { type TTrafficWindow, ZTrafficWindow } from "@lunar/shared";

export const TRAFFIC_WINDOW_TEXT: Record<TTrafficWindow, string> = {
  "24h": "24 hours",
  "7d": "7 days",
  "30d": "30 days",
};

const LABELS: Record<TTrafficWindow, string> = { "24h": "24 h", "7d": "7 d", "30d": "30 d" };

/** The window a traffic table covers (providers, servers): one pressed button of three. */
export function TrafficWindowPicker({
  value,
  onChange,
  loading,
}: {
  value: TTrafficWindow;
  onChange: (value: TTrafficWindow) => void;
  loading: boolean;
}) {
  return (
    <div className="flex items-center gap-3">
      <fieldset
        aria-label="Traffic window"
        data-testid="traffic-window"
        className="inline-flex overflow-hidden rounded-md border border-slate-300 bg-white text-sm"
      >
        {ZTrafficWindow.options.map((option) => (
          <button
            key={option}
            type="button"
            aria-pressed={option === value}
            onClick={() => onChange(option)}
            className={
              option === value
                ? "bg-brand-600 px-3 py-1.5 font-semibold text-white"
                : "px-3 py-1.5 text-slate-700 hover:bg-slate-50"
            }
          >
            {LABELS[option]}
          </button>
        ))}
      </fieldset>
      {loading && (
        <span role="status" className="text-sm text-slate-500">
          Loading…
        </span>
      )}
    </div>
  );
}
