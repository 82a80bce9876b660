import { EmptyState } from "@/modules/shell/components/empty-state";

/** A host with a provider row but no endpoint recorded yet. */
export function HostEndpointsEmptyState() {
  return (
    <EmptyState title="No endpoints seen for this host">
      <p>
        When an agent reports a call to this host, its method and path appear here, with ids in the
        path collapsed so that one endpoint is one row.
      </p>
    </EmptyState>
  );
}
