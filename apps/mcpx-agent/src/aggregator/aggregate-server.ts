import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type {
  RequestHandlerExtra,
  RequestOptions,
} from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  RootsListChangedNotificationSchema,
  type ServerNotification,
  type ServerRequest,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { EventSink } from "../reporter/event-sink";
import type { UpstreamPool } from "../upstream/upstream-pool";
import {
  type CatalogKind,
  type UpstreamServer,
  UpstreamUnavailableError,
} from "../upstream/upstream-server";
import type { ClientSession } from "./client-relay";
import { NameMap, safeServerPrefix } from "./namespaced-names";
import { callToolRecorded, SERVER_WAIT_MS } from "./record-tool-call";

export const AGENT_SERVER_INFO = { name: "mcpx-agent", version: "0.1.0" };
/** How long a list waits for servers still starting (npx may be downloading one). */
const STARTUP_WAIT_MS = 15_000;
/** Longest a forwarded request may go without an answer or a progress notification. */
const FORWARD_TIMEOUT_MS = 5 * 60_000;

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * One MCP server (per client session) in front of every upstream: tools and prompts are offered
 * as `<server>__<name>` (or as they are, for a server with `"prefix": false`), resources keep
 * their URIs. Everything else a client may send passes through to the server it is about, with
 * its progress token, cancellation and the server's own requests routed back (client-relay.ts).
 */
export function createAggregateServer(
  pool: UpstreamPool,
  events: EventSink,
): { server: Server; dispose(): void } {
  const server = new Server(AGENT_SERVER_INFO, {
    capabilities: {
      tools: { listChanged: true },
      resources: { subscribe: true, listChanged: true },
      prompts: { listChanged: true },
      logging: {},
      completions: {},
    },
    instructions: "Tools of several MCP servers, each named <server>__<tool>.",
  });
  const session: ClientSession = { server };
  const relay = pool.relay;
  const removeSession = relay.addSession(session);
  let toolNames = new NameMap();
  let promptNames = new NameMap();

  /** Runs `forward` against `upstream`'s client once it is ready, as a call of this session. */
  async function relayed<T>(
    upstream: UpstreamServer,
    extra: Extra,
    forward: (client: Client) => Promise<T>,
  ): Promise<T> {
    const end = relay.beginCall(session, upstream.name, extra);
    try {
      return await upstream.useClient(SERVER_WAIT_MS, forward);
    } catch (error) {
      if (error instanceof UpstreamUnavailableError)
        throw new McpError(ErrorCode.InternalError, error.message);
      throw error;
    } finally {
      end();
    }
  }

  server.setRequestHandler(ListToolsRequestSchema, async () => {
    await pool.settled(STARTUP_WAIT_MS);
    toolNames = new NameMap();
    const tools = pool.list().flatMap((upstream) => {
      const prefixed = upstream.config.prefix !== false;
      return upstream.catalog.tools.map((tool) => ({
        ...tool,
        name: toolNames.add(upstream.name, tool.name, prefixed),
        ...(prefixed
          ? {
              description: tool.description
                ? `[${upstream.name}] ${tool.description}`
                : `[${upstream.name}]`,
            }
          : {}),
      }));
    });
    return { tools };
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const target = await resolveName(pool, "tools", toolNames, request.params.name);
    const upstream = requireUpstream(pool, target.server);
    const end = relay.beginCall(session, upstream.name, extra);
    const options = forwardOptions(extra, request.params._meta?.progressToken);
    try {
      const result = await callToolRecorded(
        upstream,
        { ...withoutProgressToken(request.params), name: target.original },
        events,
        options,
      );
      await options.flush();
      return result;
    } finally {
      end();
    }
  });

  server.setRequestHandler(ListPromptsRequestSchema, async () => {
    await pool.settled(STARTUP_WAIT_MS);
    promptNames = new NameMap();
    const prompts = pool.list().flatMap((upstream) =>
      upstream.catalog.prompts.map((prompt) => ({
        ...prompt,
        name: promptNames.add(upstream.name, prompt.name, upstream.config.prefix !== false),
      })),
    );
    return { prompts };
  });

  server.setRequestHandler(GetPromptRequestSchema, async (request, extra) => {
    const target = await resolveName(pool, "prompts", promptNames, request.params.name);
    const upstream = requireUpstream(pool, target.server);
    const options = forwardOptions(extra, request.params._meta?.progressToken);
    return relayed(upstream, extra, async (client) => {
      const result = await client.getPrompt(
        { ...withoutProgressToken(request.params), name: target.original },
        options,
      );
      await options.flush();
      return result;
    });
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => {
    await pool.settled(STARTUP_WAIT_MS);
    const seen = new Set<string>();
    const resources = pool.list().flatMap((upstream) =>
      upstream.catalog.resources.flatMap((resource) => {
        // Two servers offering the same URI: the first keeps it (a URI cannot be renamed safely).
        if (seen.has(resource.uri)) return [];
        seen.add(resource.uri);
        return [
          upstream.config.prefix === false
            ? resource
            : { ...resource, name: `${upstream.name}: ${resource.name}` },
        ];
      }),
    );
    return { resources };
  });

  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => {
    await pool.settled(STARTUP_WAIT_MS);
    const resourceTemplates = pool
      .list()
      .flatMap((upstream) =>
        upstream.catalog.resourceTemplates.map((template) =>
          upstream.config.prefix === false
            ? template
            : { ...template, name: `${upstream.name}: ${template.name}` },
        ),
      );
    return { resourceTemplates };
  });

  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    const owner = await resourceOwner(pool, request.params.uri);
    const options = forwardOptions(extra, request.params._meta?.progressToken);
    return relayed(owner, extra, async (client) => {
      const result = await client.readResource(withoutProgressToken(request.params), options);
      await options.flush();
      return result;
    });
  });

  server.setRequestHandler(SubscribeRequestSchema, async (request, extra) => {
    const { uri } = request.params;
    const owner = await resourceOwner(pool, uri);
    return relayed(owner, extra, async (client) => {
      if (!client.getServerCapabilities()?.resources?.subscribe)
        throw new McpError(
          ErrorCode.InvalidParams,
          `MCP server "${owner.name}" (owner of ${uri}) does not support subscriptions`,
        );
      if (!relay.subscribe(session, uri)) return {};
      try {
        return await client.subscribeResource(request.params, forwardOptions(extra));
      } catch (error) {
        relay.unsubscribe(session, uri);
        throw error;
      }
    });
  });

  server.setRequestHandler(UnsubscribeRequestSchema, async (request, extra) => {
    const { uri } = request.params;
    if (!relay.unsubscribe(session, uri)) return {};
    const owner = await resourceOwner(pool, uri);
    return relayed(owner, extra, (client) =>
      client.unsubscribeResource(request.params, forwardOptions(extra)),
    );
  });

  server.setRequestHandler(CompleteRequestSchema, async (request, extra) => {
    const { ref } = request.params;
    let upstream: UpstreamServer;
    let params = request.params;
    if (ref.type === "ref/prompt") {
      const target = await resolveName(pool, "prompts", promptNames, ref.name);
      upstream = requireUpstream(pool, target.server);
      params = { ...params, ref: { ...ref, name: target.original } };
    } else {
      const byTemplate = pool
        .list()
        .find((candidate) =>
          candidate.catalog.resourceTemplates.some((t) => t.uriTemplate === ref.uri),
        );
      upstream = byTemplate ?? (await resourceOwner(pool, ref.uri));
    }
    return relayed(upstream, extra, async (client) => {
      // A server without completions has nothing to offer; the agent declares them for all.
      if (!client.getServerCapabilities()?.completions)
        return { completion: { values: [], hasMore: false } };
      return client.complete(params, forwardOptions(extra));
    });
  });

  server.setRequestHandler(SetLevelRequestSchema, async (request) => {
    const level = relay.setLogLevel(session, request.params.level);
    await Promise.all(
      pool.list().map(async (upstream) => {
        if (!upstream.isReady) return; // it gets the level when it connects
        const client = upstream.requireClient();
        if (client.getServerCapabilities()?.logging)
          await client.setLoggingLevel(level).catch(() => {});
      }),
    );
    return {};
  });

  server.setNotificationHandler(RootsListChangedNotificationSchema, async () => {
    for (const upstream of pool.list()) {
      if (upstream.isReady)
        void upstream
          .requireClient()
          .sendRootsListChanged()
          .catch(() => {});
    }
  });

  const unsubscribe = pool.onCatalogChanged((kinds: CatalogKind[]) => {
    // Sent only once the client finished initializing; before that it lists anyway.
    if (!server.transport) return;
    if (kinds.includes("tools")) void server.sendToolListChanged().catch(() => {});
    if (kinds.includes("resources")) void server.sendResourceListChanged().catch(() => {});
    if (kinds.includes("prompts")) void server.sendPromptListChanged().catch(() => {});
  });
  return {
    server,
    dispose() {
      unsubscribe();
      // Subscriptions only this session held are released on their servers.
      for (const uri of relay.subscribedUris()) {
        if (!relay.unsubscribe(session, uri)) continue;
        const owner = pool.knownResourceOwner(uri);
        if (owner?.isReady)
          void owner
            .requireClient()
            .unsubscribeResource({ uri })
            .catch(() => {});
      }
      removeSession();
    },
  };
}

/**
 * Options for a request forwarded on behalf of a client's request. Progress goes back in order,
 * and `flush()` (awaited before the answer) makes sure none arrives after the answer.
 */
function forwardOptions(
  extra: Extra,
  progressToken?: string | number,
): RequestOptions & { signal: AbortSignal; flush(): Promise<void> } {
  let sent: Promise<void> = Promise.resolve();
  return {
    // The client's cancellation reaches the server (the SDK sends notifications/cancelled).
    signal: extra.signal,
    timeout: FORWARD_TIMEOUT_MS,
    resetTimeoutOnProgress: true,
    flush: () => sent,
    // The SDK gives the upstream request its own token; progress goes back under the client's.
    ...(progressToken === undefined
      ? {}
      : {
          onprogress: (progress) => {
            sent = sent
              .then(() =>
                extra.sendNotification({
                  method: "notifications/progress",
                  params: { ...progress, progressToken },
                }),
              )
              .catch(() => {});
          },
        }),
  };
}

/** A client's params without its progress token (the upstream request gets the agent's own). */
function withoutProgressToken<T extends { _meta?: { progressToken?: unknown } }>(params: T): T {
  if (!params._meta || !("progressToken" in params._meta)) return params;
  const { progressToken: _token, ...meta } = params._meta;
  const { _meta: _dropped, ...rest } = params;
  return (Object.keys(meta).length > 0 ? { ...rest, _meta: meta } : rest) as T;
}

function requireUpstream(pool: UpstreamPool, name: string): UpstreamServer {
  const upstream = pool.get(name);
  if (!upstream)
    throw new McpError(ErrorCode.InvalidParams, `MCP server "${name}" is not configured`);
  return upstream;
}

async function resourceOwner(pool: UpstreamPool, uri: string): Promise<UpstreamServer> {
  let owner = pool.knownResourceOwner(uri);
  if (!owner) {
    // Right after launch the owner may still be starting.
    await pool.settled(SERVER_WAIT_MS);
    owner = await pool.resourceOwner(uri);
  }
  if (!owner) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${uri}`);
  return owner;
}

/**
 * The server and original name behind an offered tool or prompt name: from this session's last
 * list, else the current catalogues, else (servers still starting) once they settle, else by
 * the `<server>__` prefix so a call to a restarting server says so.
 */
async function resolveName(
  pool: UpstreamPool,
  kind: "tools" | "prompts",
  listed: NameMap,
  offered: string,
): Promise<{ server: string; original: string }> {
  const found = listed.resolve(offered) ?? pool.offeredNames()[kind].resolve(offered);
  if (found) return found;
  await pool.settled(SERVER_WAIT_MS);
  const settled = pool.offeredNames()[kind].resolve(offered);
  if (settled) return settled;
  const prefix = offered.split("__", 1)[0];
  const upstream = pool
    .list()
    .find(
      (candidate) =>
        candidate.config.prefix !== false && safeServerPrefix(candidate.name) === prefix,
    );
  if (upstream)
    return { server: upstream.name, original: offered.slice((prefix ?? "").length + 2) };
  throw new McpError(
    ErrorCode.InvalidParams,
    `Unknown ${kind === "tools" ? "tool" : "prompt"}: ${offered}`,
  );
}
