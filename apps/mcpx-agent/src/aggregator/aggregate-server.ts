import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { EventSink } from "../reporter/event-sink";
import type { UpstreamPool } from "../upstream/upstream-pool";
import type { CatalogKind } from "../upstream/upstream-server";
import { NameMap } from "./namespaced-names";
import { callToolRecorded } from "./record-tool-call";

export const AGENT_SERVER_INFO = { name: "mcpx-agent", version: "0.1.0" };
/** How long a list waits for servers still starting (npx may be downloading one). */
const STARTUP_WAIT_MS = 15_000;

/**
 * One MCP server (per client session) in front of every upstream: tools and prompts are offered
 * as `<server>__<name>`, resources keep their URIs (each remembered with its server), and
 * list_changed notifications from any upstream, or from a config change, reach the client.
 */
export function createAggregateServer(
  pool: UpstreamPool,
  events: EventSink,
): { server: Server; dispose(): void } {
  const server = new Server(AGENT_SERVER_INFO, {
    capabilities: {
      tools: { listChanged: true },
      resources: { listChanged: true },
      prompts: { listChanged: true },
      logging: {},
    },
    instructions: "Tools of several MCP servers, each named <server>__<tool>.",
  });
  let toolNames = new NameMap();
  let promptNames = new NameMap();
  const resourceOwners = new Map<string, string>();

  server.setRequestHandler(ListToolsRequestSchema, async () => {
    await pool.settled(STARTUP_WAIT_MS);
    toolNames = new NameMap();
    const tools = pool.list().flatMap((upstream) =>
      upstream.catalog.tools.map((tool) => ({
        ...tool,
        name: toolNames.add(upstream.name, tool.name),
        description: tool.description
          ? `[${upstream.name}] ${tool.description}`
          : `[${upstream.name}]`,
      })),
    );
    return { tools };
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const target =
      toolNames.resolve(request.params.name) ?? resolveUnlisted(pool, request.params.name);
    if (!target)
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    const upstream = pool.get(target.server);
    if (!upstream)
      throw new McpError(
        ErrorCode.InvalidParams,
        `MCP server "${target.server}" is not configured`,
      );
    return callToolRecorded(
      upstream,
      target.original,
      request.params.arguments,
      events,
      extra.signal,
    );
  });

  server.setRequestHandler(ListPromptsRequestSchema, async () => {
    await pool.settled(STARTUP_WAIT_MS);
    promptNames = new NameMap();
    const prompts = pool.list().flatMap((upstream) =>
      upstream.catalog.prompts.map((prompt) => ({
        ...prompt,
        name: promptNames.add(upstream.name, prompt.name),
      })),
    );
    return { prompts };
  });

  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    const target =
      promptNames.resolve(request.params.name) ??
      freshPromptNames(pool).resolve(request.params.name);
    if (!target)
      throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
    const client = requireUpstream(pool, target.server);
    return client.getPrompt({ ...request.params, name: target.original });
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => {
    await pool.settled(STARTUP_WAIT_MS);
    resourceOwners.clear();
    const resources = pool.list().flatMap((upstream) =>
      upstream.catalog.resources.flatMap((resource) => {
        // Two servers offering the same URI: the first keeps it (a URI cannot be renamed safely).
        if (resourceOwners.has(resource.uri)) return [];
        resourceOwners.set(resource.uri, upstream.name);
        return [{ ...resource, name: `${upstream.name}: ${resource.name}` }];
      }),
    );
    return { resources };
  });

  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => {
    await pool.settled(STARTUP_WAIT_MS);
    const resourceTemplates = pool.list().flatMap((upstream) =>
      upstream.catalog.resourceTemplates.map((template) => ({
        ...template,
        name: `${upstream.name}: ${template.name}`,
      })),
    );
    return { resourceTemplates };
  });

  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const owner =
      resourceOwners.get(request.params.uri) ?? ownerByTemplate(pool, request.params.uri);
    if (!owner)
      throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${request.params.uri}`);
    return requireUpstream(pool, owner).readResource(request.params);
  });

  const unsubscribe = pool.onCatalogChanged((kinds: CatalogKind[]) => {
    // Sent only once the client finished initializing; before that it lists anyway.
    if (!server.transport) return;
    if (kinds.includes("tools")) void server.sendToolListChanged().catch(() => {});
    if (kinds.includes("resources")) void server.sendResourceListChanged().catch(() => {});
    if (kinds.includes("prompts")) void server.sendPromptListChanged().catch(() => {});
  });
  return { server, dispose: unsubscribe };
}

function requireUpstream(pool: UpstreamPool, name: string) {
  const upstream = pool.get(name);
  if (!upstream)
    throw new McpError(ErrorCode.InvalidParams, `MCP server "${name}" is not configured`);
  try {
    return upstream.requireClient();
  } catch (error) {
    throw new McpError(ErrorCode.InternalError, (error as Error).message);
  }
}

/** A call for a tool the client has not listed in this session yet (it cached an old list). */
function resolveUnlisted(
  pool: UpstreamPool,
  offered: string,
): { server: string; original: string } | undefined {
  const names = new NameMap();
  for (const upstream of pool.list()) {
    for (const tool of upstream.catalog.tools) names.add(upstream.name, tool.name);
  }
  const found = names.resolve(offered);
  if (found) return found;
  // The server is restarting and its catalogue is empty: route by prefix to say so clearly.
  const prefix = offered.split("__", 1)[0];
  const upstream = pool
    .list()
    .find((candidate) => candidate.name.replace(/[^A-Za-z0-9_-]/g, "_") === prefix);
  return upstream
    ? { server: upstream.name, original: offered.slice((prefix ?? "").length + 2) }
    : undefined;
}

/** For a client that asks for a prompt it has not listed in this session. */
function freshPromptNames(pool: UpstreamPool): NameMap {
  const names = new NameMap();
  for (const upstream of pool.list())
    for (const prompt of upstream.catalog.prompts) names.add(upstream.name, prompt.name);
  return names;
}

function ownerByTemplate(pool: UpstreamPool, uri: string): string | undefined {
  for (const upstream of pool.list()) {
    for (const template of upstream.catalog.resourceTemplates) {
      const fixed = template.uriTemplate.split("{", 1)[0] ?? "";
      if (fixed && uri.startsWith(fixed)) return upstream.name;
    }
  }
  return undefined;
}
