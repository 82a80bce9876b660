import type { Metadata } from "next";
import { EmptyState } from "@/modules/shell/components/empty-state";
import { PageHeader } from "@/modules/shell/components/page-header";

export const metadata: Metadata = { title: "Live logs" };

export default function LiveLogsPage() {
  return (
    <>
      <PageHeader
        title="Live logs"
        description="Tool calls and outbound calls as they happen, filterable by MCP server, host, endpoint and decision."
      />
      <EmptyState title="Waiting for traffic">
        <p>
          Live events stream here once an agent is connected with one of your API keys. Blocked
          calls are marked with the rule that blocked them.
        </p>
      </EmptyState>
    </>
  );
}
