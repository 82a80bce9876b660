import type { Metadata } from "next";
import { requireSession } from "@/modules/auth/lib/require-session";
import { FlowsPanel } from "@/modules/flows/components/flows-panel";
import { loadFlowsState } from "@/modules/flows/lib/load-flows-state";
import { PageHeader } from "@/modules/shell/components/page-header";

export const metadata: Metadata = { title: "Flows" };

export default async function FlowsPage() {
  const session = await requireSession();
  const state = await loadFlowsState(session.organization.id);
  return (
    <>
      <PageHeader
        title="Flows"
        description="Allowlists and blocklists that every connected agent enforces on outbound calls. Saving publishes a new version; agents get it within a second."
      />
      <FlowsPanel initial={state} />
    </>
  );
}
