/**
 * The command a user runs next to their MCP client: the agent's npm package (scope owned by this
 * project) through npx, with the gateway and key in its environment; the key placeholder is
 * theirs to fill. `mcpx-agent init` writes the same into a client's config.
 */
export function ConnectAgentSnippet({
  gatewayUrl,
  apiKey,
}: {
  gatewayUrl: string;
  apiKey?: string;
}) {
  const command = [
    `LUNAR_GATEWAY_URL=${gatewayUrl} \\`,
    `LUNAR_API_KEY=${apiKey ?? "<your API key>"} \\`,
    "npx -y @lunar-mcpx/agent start --config mcp.json",
  ].join("\n");
  return (
    <pre className="overflow-x-auto rounded-lg bg-slate-900 px-4 py-3 text-left font-mono text-xs leading-relaxed text-slate-100">
      <code>{command}</code>
    </pre>
  );
}
