import type { Metadata } from "next";
import { EmptyState } from "@/modules/shell/components/empty-state";
import { PageHeader } from "@/modules/shell/components/page-header";

export const metadata: Metadata = { title: "Flows" };

export default function FlowsPage() {
  return (
    <>
      <PageHeader
        title="Flows"
        description="Allowlists and blocklists that every connected agent enforces on outbound calls."
      />
      <EmptyState title="Visibility mode: no flows yet">
        <p>
          Without flows every outbound call is allowed and recorded, and every new domain is flagged
          as unknown. An allowlist switches its scope to default-deny: anything not on it gets a
          generated <code className="font-mono">403 Forbidden Access</code> and never leaves the
          machine.
        </p>
      </EmptyState>
    </>
  );
}
