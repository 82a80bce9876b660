import type { TProviderStatus } from "@lunar/shared";

const STYLES: Record<TProviderStatus, string> = {
  unknown: "bg-amber-100 text-amber-900 ring-1 ring-inset ring-amber-400",
  approved: "bg-emerald-100 text-emerald-800",
  blocked: "bg-red-100 text-red-800",
};

const LABELS: Record<TProviderStatus, string> = {
  unknown: "⚠ Unknown",
  approved: "Approved",
  blocked: "Blocked",
};

export function ProviderStatusBadge({ status }: { status: TProviderStatus }) {
  return (
    <span
      data-testid="provider-status"
      className={`whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-semibold ${STYLES[status]}`}
    >
      {LABELS[status]}
    </span>
  );
}
