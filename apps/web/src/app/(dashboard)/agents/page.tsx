import type { Metadata } from "next";
import { env } from "@/env";
import { AgentsTable } from "@/modules/agents/components/agents-table";
import { loadAgents } from "@/modules/agents/lib/load-agents";
import { requireSession } from "@/modules/auth/lib/require-session";
import { DeadLettersPanel } from "@/modules/dead-letters/components/dead-letters-panel";
import { DEAD_LETTERS_SHOWN, loadDeadLetters } from "@/modules/dead-letters/lib/load-dead-letters";
import { ConnectAgentSnippet } from "@/modules/shell/components/connect-agent-snippet";
import { EmptyState } from "@/modules/shell/components/empty-state";
import { PageHeader } from "@/modules/shell/components/page-header";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage() {
  const session = await requireSession();
  const [page, deadLetters] = await Promise.all([
    loadAgents(session.organization.id),
    loadDeadLetters(session.organization.id),
  ]);
  return (
    <>
      <PageHeader
        title="Agents"
        description="The mcpx-agent installs reporting to this organization: connection state, version and MCP servers, and the events the database refused."
      />
      <div className="space-y-6">
        {page.agents.length === 0 ? (
          <EmptyState title="No agents connected">
            <p>Run the agent with one of your API keys. It appears here as soon as it connects.</p>
            <ConnectAgentSnippet gatewayUrl={env().LUNAR_PUBLIC_GATEWAY_URL} />
          </EmptyState>
        ) : (
          <AgentsTable initial={page} />
        )}
        <DeadLettersPanel initial={deadLetters} limit={DEAD_LETTERS_SHOWN} />
      </div>
    </>
  );
}
