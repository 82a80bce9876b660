import { getOverview } from "@lunar/db";
import type { Metadata } from "next";
import { env } from "@/env";
import { db } from "@/lib/db";
import { requireSession } from "@/modules/auth/lib/require-session";
import { OverviewPanel } from "@/modules/overview/components/overview-panel";
import { ButtonLink } from "@/modules/shell/components/button-link";
import { ConnectAgentSnippet } from "@/modules/shell/components/connect-agent-snippet";
import { EmptyState } from "@/modules/shell/components/empty-state";
import { PageHeader } from "@/modules/shell/components/page-header";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const session = await requireSession();
  const overview = await getOverview(db(), session.organization.id);
  return (
    <>
      <PageHeader
        title="Overview"
        description="Tool calls and outbound API calls of every MCP server your agents run, at a glance."
      />
      {overview.hasTraffic ? (
        <OverviewPanel initial={overview} />
      ) : (
        <EmptyState
          title="No agent has reported yet"
          action={<ButtonLink href="/keys">Create an API key</ButtonLink>}
        >
          <p>
            Create an API key, then run the agent next to Claude Desktop or Cursor and point your
            MCP client at it. Traffic shows up here as soon as the first tool call is made.
          </p>
          <ConnectAgentSnippet gatewayUrl={env().LUNAR_PUBLIC_GATEWAY_URL} />
        </EmptyState>
      )}
    </>
  );
}
