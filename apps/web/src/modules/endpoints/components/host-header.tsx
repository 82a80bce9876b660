import type { THostEndpointsPage } from "@lunar/shared";
import Link from "next/link";
import { ProviderStatusBadge } from "@/modules/providers/components/provider-status-badge";

/** The host the page is about, its provider status, and the way back to all providers. */
export function HostHeader({ provider }: { provider: THostEndpointsPage["provider"] }) {
  return (
    <header className="mb-8 space-y-2">
      <Link href="/providers" className="text-sm font-medium text-brand-600 hover:text-brand-700">
        ← Providers
      </Link>
      <div className="flex flex-wrap items-center gap-3">
        <h1
          data-testid="host-name"
          className="font-mono text-2xl font-semibold tracking-tight text-slate-900 [overflow-wrap:anywhere]"
        >
          {provider.host}
        </h1>
        <ProviderStatusBadge status={provider.status} />
      </div>
      <p className="max-w-2xl text-sm text-slate-600">
        Every endpoint your MCP servers called on this host of{" "}
        <span className="font-mono [overflow-wrap:anywhere]">{provider.domain}</span> (ids in paths
        collapsed to <code className="font-mono">{"{id}"}</code>), with volume, errors, blocked
        calls and latency over the last 24 hours, 7 days or 30 days.
      </p>
    </header>
  );
}
