import type { Metadata } from "next";
import { env } from "@/env";
import { AgentsTable } from "@/modules/agents/components/agents-table";
import { loadAgents } from "@/modules/agents/lib/load-agents";
import { requireSession } from "@/modules/auth/lib/require-session";
import { ConnectAgentSnippet } from "@/modules/shell/components/connect-agent-snippet";
import { EmptyState } from "@/modules/shell/components/empty-state";
import { PageHeader } from "@/modules/shell/components/page-header";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage() {
  const session = await requireSession();
  const page = await loadAgents(session.organization.id);
  return (
    <>
      <PageHeader
        title="Agents"
        description="The mcpx-agent installs reporting to this organization: connection state, version and MCP servers."
      />
      {page.agents.length === 0 ? (
        <EmptyState title="No agents connected">
          <p>Run the agent with one of your API keys. It appears here as soon as it connects.</p>
          <ConnectAgentSnippet gatewayUrl={env().LUNAR_PUBLIC_GATEWAY_URL} />
        </EmptyState>
      ) : (
        <AgentsTable initial={page} />
      )}
    </>
  );
}
