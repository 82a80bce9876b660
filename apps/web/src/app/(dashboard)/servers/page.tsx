import type { Metadata } from "next";
import { EmptyState } from "@/modules/shell/components/empty-state";
import { PageHeader } from "@/modules/shell/components/page-header";

export const metadata: Metadata = { title: "MCP servers" };

export default function ServersPage() {
  return (
    <>
      <PageHeader
        title="MCP servers"
        description="The MCP servers behind your agents, their tools, and the providers each one talks to."
      />
      <EmptyState title="No MCP servers reported yet">
        <p>
          Add servers to the agent's <code className="font-mono">mcp.json</code> (the same
          <code className="font-mono"> mcpServers</code> map Claude Desktop and Cursor use). Each
          server appears here once its agent connects.
        </p>
      </EmptyState>
    </>
  );
}
