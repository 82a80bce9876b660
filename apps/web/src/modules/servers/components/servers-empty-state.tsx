import { ConnectAgentSnippet } from "@/modules/shell/components/connect-agent-snippet";
import { EmptyState } from "@/modules/shell/components/empty-state";

/** No agent named a server and none had traffic: how to get the first one here. */
export function ServersEmptyState({ gatewayUrl }: { gatewayUrl: string }) {
  return (
    <EmptyState title="No MCP servers reported yet">
      <p>
        Add servers to the agent's <code className="font-mono">mcp.json</code> (the same
        <code className="font-mono"> mcpServers</code> map Claude Desktop and Cursor use). Each
        server appears here once its agent connects.
      </p>
      <ConnectAgentSnippet gatewayUrl={gatewayUrl} />
    </EmptyState>
  );
}
