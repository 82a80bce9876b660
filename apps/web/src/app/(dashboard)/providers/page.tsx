import type { Metadata } from "next";
import { EmptyState } from "@/modules/shell/components/empty-state";
import { PageHeader } from "@/modules/shell/components/page-header";

export const metadata: Metadata = { title: "Providers" };

export default function ProvidersPage() {
  return (
    <>
      <PageHeader
        title="Providers"
        description="Every domain your MCP servers call, grouped by registrable domain, with discovered endpoints, volume, latency and error rate."
      />
      <EmptyState title="No outbound calls seen yet">
        <p>
          When an agent reports its first outbound call, the provider appears here. Domains nobody
          approved are flagged as unknown the moment they are first contacted.
        </p>
      </EmptyState>
    </>
  );
}
