import type { Metadata } from "next";
import { requireSession } from "@/modules/auth/lib/require-session";
import { ProvidersPanel } from "@/modules/providers/components/providers-panel";
import { loadProviders } from "@/modules/providers/lib/load-providers";
import { PageHeader } from "@/modules/shell/components/page-header";

export const metadata: Metadata = { title: "Providers" };

export default async function ProvidersPage() {
  const session = await requireSession();
  const page = await loadProviders(session.organization.id);
  return (
    <>
      <PageHeader
        title="Providers"
        description="Every domain your MCP servers call, grouped by registrable domain, with volume, errors, blocked calls and latency over the last 24 hours, 7 days or 30 days."
      />
      <ProvidersPanel initial={page} />
    </>
  );
}
