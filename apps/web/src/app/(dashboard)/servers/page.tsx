import type { Metadata } from "next";
import { env } from "@/env";
import { requireSession } from "@/modules/auth/lib/require-session";
import { ServersPanel } from "@/modules/servers/components/servers-panel";
import { loadServers } from "@/modules/servers/lib/load-servers";
import { PageHeader } from "@/modules/shell/components/page-header";

export const metadata: Metadata = { title: "MCP servers" };

export default async function ServersPage() {
  const session = await requireSession();
  const page = await loadServers(session.organization.id);
  return (
    <>
      <PageHeader
        title="MCP servers"
        description="The MCP servers behind your agents: who runs them, their tool calls, and the hosts each one calls over the last 24 hours, 7 days or 30 days."
      />
      <ServersPanel initial={page} gatewayUrl={env().LUNAR_PUBLIC_GATEWAY_URL} />
    </>
  );
}
