// Our reference MCP server: what the official conformance suite (@modelcontextprotocol/conformance
// 0.1.16) expects of its "everything server" (tools, resources, prompts, logging, completion,
// sampling, elicitation), written on the SDK's low-level Server with documented APIs only. With
// `extras`, a few more tools the agent's fidelity tests need (timing is parameterized).
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  CompleteRequestSchema,
  CreateMessageResultSchema,
  ElicitResultSchema,
  GetPromptRequestSchema,
  type GetPromptResult,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  type LoggingLevel,
  McpError,
  type Prompt,
  ReadResourceRequestSchema,
  type ServerNotification,
  type ServerRequest,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  type Tool,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;
type Args = Record<string, unknown>;

const IMAGE =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
const AUDIO = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";
const EMPTY = { type: "object" as const, properties: {} };
const text = (value: string): CallToolResult => ({ content: [{ type: "text", text: value }] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the server saw, for tests that check what reached it through the agent. */
export interface ReferenceState {
  logLevel: LoggingLevel | null;
  subscriptions: Set<string>;
  cancelled: number;
}

interface ToolEntry {
  tool: Tool;
  run(args: Args, extra: Extra, server: Server): Promise<CallToolResult>;
}

const LOG = (level: LoggingLevel, data: string) => ({
  method: "notifications/message" as const,
  params: { level, logger: "reference-server", data },
});

function elicitTool(name: string, description: string, requestedSchema: object): ToolEntry {
  return {
    tool: { name, description, inputSchema: EMPTY },
    async run(_args, extra) {
      const result = await extra.sendRequest(
        {
          method: "elicitation/create",
          params: {
            message: description,
            requestedSchema: requestedSchema as never,
          },
        },
        ElicitResultSchema,
      );
      return text(
        `Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`,
      );
    },
  };
}

function conformanceTools(): ToolEntry[] {
  return [
    {
      tool: { name: "test_simple_text", description: "Simple text", inputSchema: EMPTY },
      run: async () => text("This is a simple text response for testing."),
    },
    {
      tool: { name: "test_image_content", description: "Image content", inputSchema: EMPTY },
      run: async () => ({ content: [{ type: "image", data: IMAGE, mimeType: "image/png" }] }),
    },
    {
      tool: { name: "test_audio_content", description: "Audio content", inputSchema: EMPTY },
      run: async () => ({ content: [{ type: "audio", data: AUDIO, mimeType: "audio/wav" }] }),
    },
    {
      tool: {
        name: "test_embedded_resource",
        description: "Embedded resource",
        inputSchema: EMPTY,
      },
      run: async () => ({
        content: [
          {
            type: "resource",
            resource: {
              uri: "test://embedded-resource",
              mimeType: "text/plain",
              text: "This is an embedded resource content.",
            },
          },
        ],
      }),
    },
    {
      tool: {
        name: "test_multiple_content_types",
        description: "Text, image and resource",
        inputSchema: EMPTY,
      },
      run: async () => ({
        content: [
          { type: "text", text: "Multiple content types test:" },
          { type: "image", data: IMAGE, mimeType: "image/png" },
          {
            type: "resource",
            resource: {
              uri: "test://mixed-content-resource",
              mimeType: "application/json",
              text: JSON.stringify({ test: "data", value: 123 }),
            },
          },
        ],
      }),
    },
    {
      tool: {
        name: "test_tool_with_logging",
        description: "Logs while it runs",
        inputSchema: EMPTY,
      },
      async run(_args, extra) {
        for (const step of ["Tool execution started", "Tool processing data"]) {
          await extra.sendNotification(LOG("info", step));
          await sleep(50);
        }
        await extra.sendNotification(LOG("info", "Tool execution completed"));
        return text("Tool with logging executed successfully");
      },
    },
    {
      tool: {
        name: "test_tool_with_progress",
        description: "Reports progress",
        inputSchema: EMPTY,
      },
      async run(_args, extra) {
        const progressToken = extra._meta?.progressToken ?? 0;
        for (const progress of [0, 50, 100]) {
          await extra.sendNotification({
            method: "notifications/progress",
            params: { progressToken, progress, total: 100, message: `Completed ${progress}` },
          });
          if (progress < 100) await sleep(50);
        }
        return text(String(progressToken));
      },
    },
    {
      tool: { name: "test_error_handling", description: "Fails", inputSchema: EMPTY },
      run: async () => {
        throw new Error("This tool intentionally returns an error for testing");
      },
    },
    {
      tool: {
        name: "test_reconnection",
        description: "Answers after a short wait (SEP-1699)",
        inputSchema: EMPTY,
      },
      run: async () => {
        await sleep(100);
        return text("Reconnection test completed successfully.");
      },
    },
    {
      tool: {
        name: "test_sampling",
        description: "Asks the client for an LLM completion",
        inputSchema: { type: "object", properties: { prompt: { type: "string" } } },
      },
      async run(args, extra) {
        const result = await extra.sendRequest(
          {
            method: "sampling/createMessage",
            params: {
              messages: [{ role: "user", content: { type: "text", text: String(args.prompt) } }],
              maxTokens: 100,
            },
          },
          CreateMessageResultSchema,
        );
        const content = result.content as { type: string; text?: string };
        return text(`LLM response: ${content.text ?? "No response"}`);
      },
    },
    {
      tool: {
        name: "test_elicitation",
        description: "Asks the user for input",
        inputSchema: { type: "object", properties: { message: { type: "string" } } },
      },
      async run(args, extra) {
        const result = await extra.sendRequest(
          {
            method: "elicitation/create",
            params: {
              message: String(args.message),
              requestedSchema: {
                type: "object",
                properties: { response: { type: "string", description: "User's response" } },
                required: ["response"],
              },
            },
          },
          ElicitResultSchema,
        );
        return text(
          `User response: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`,
        );
      },
    },
    elicitTool("test_elicitation_sep1034_defaults", "Defaults (SEP-1034)", {
      type: "object",
      properties: {
        name: { type: "string", description: "User name", default: "John Doe" },
        age: { type: "integer", description: "User age", default: 30 },
        score: { type: "number", description: "User score", default: 95.5 },
        status: {
          type: "string",
          description: "User status",
          enum: ["active", "inactive", "pending"],
          default: "active",
        },
        verified: { type: "boolean", description: "Verification status", default: true },
      },
      required: [],
    }),
    elicitTool("test_elicitation_sep1330_enums", "Enums (SEP-1330)", {
      type: "object",
      properties: {
        untitledSingle: { type: "string", enum: ["option1", "option2", "option3"] },
        titledSingle: {
          type: "string",
          oneOf: [
            { const: "value1", title: "First Option" },
            { const: "value2", title: "Second Option" },
            { const: "value3", title: "Third Option" },
          ],
        },
        legacyEnum: {
          type: "string",
          enum: ["opt1", "opt2", "opt3"],
          enumNames: ["Option One", "Option Two", "Option Three"],
        },
        untitledMulti: {
          type: "array",
          minItems: 1,
          maxItems: 3,
          items: { type: "string", enum: ["option1", "option2", "option3"] },
        },
        titledMulti: {
          type: "array",
          minItems: 1,
          maxItems: 3,
          items: {
            anyOf: [
              { const: "value1", title: "First Choice" },
              { const: "value2", title: "Second Choice" },
              { const: "value3", title: "Third Choice" },
            ],
          },
        },
      },
      required: [],
    }),
    {
      tool: {
        name: "json_schema_2020_12_tool",
        description: "JSON Schema 2020-12 input (SEP-1613)",
        inputSchema: {
          $schema: "https://json-schema.org/draft/2020-12/schema",
          type: "object",
          $defs: {
            address: {
              type: "object",
              properties: { street: { type: "string" }, city: { type: "string" } },
            },
          },
          properties: { name: { type: "string" }, address: { $ref: "#/$defs/address" } },
          additionalProperties: false,
        },
      },
      run: async (args) => text(`JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`),
    },
  ];
}

/** Tools for the agent's own fidelity tests; timings come in the arguments. */
function extraTools(state: ReferenceState): ToolEntry[] {
  return [
    {
      tool: {
        name: "slow_progress",
        description: "Reports progress every intervalMs for durationMs, then answers",
        inputSchema: {
          type: "object",
          properties: { durationMs: { type: "number" }, intervalMs: { type: "number" } },
        },
      },
      async run(args, extra) {
        const duration = Number(args.durationMs ?? 8_000);
        const interval = Number(args.intervalMs ?? 1_000);
        const progressToken = extra._meta?.progressToken;
        const steps = Math.ceil(duration / interval);
        for (let step = 1; step <= steps; step++) {
          await sleep(interval);
          if (progressToken !== undefined)
            await extra.sendNotification({
              method: "notifications/progress",
              params: { progressToken, progress: step, total: steps },
            });
        }
        return text(`done after ${steps} steps`);
      },
    },
    {
      tool: { name: "ask_roots", description: "Asks the client for its roots", inputSchema: EMPTY },
      async run(_args, _extra, server) {
        const { roots } = await server.listRoots();
        return text(roots.map((root) => root.uri).join(","));
      },
    },
    {
      tool: {
        name: "wait_for_cancel",
        description: "Answers only when cancelled",
        inputSchema: EMPTY,
      },
      async run(_args, extra) {
        const cancelled = new Promise((resolve) =>
          extra.signal.addEventListener("abort", () => {
            state.cancelled++;
            resolve(undefined);
          }),
        );
        const progressToken = extra._meta?.progressToken;
        // Tells a client with a progress token that the call reached the server.
        if (progressToken !== undefined)
          await extra.sendNotification({
            method: "notifications/progress",
            params: { progressToken, progress: 0 },
          });
        await cancelled;
        return text("cancelled");
      },
    },
    {
      tool: { name: "seen", description: "What reached this server", inputSchema: EMPTY },
      run: async () =>
        text(
          JSON.stringify({
            logLevel: state.logLevel,
            subscriptions: [...state.subscriptions],
            cancelled: state.cancelled,
          }),
        ),
    },
    {
      tool: {
        name: "log_each_level",
        description: "Logs one message at debug, info, warning and error, whatever the level",
        inputSchema: EMPTY,
      },
      async run(_args, extra) {
        for (const level of ["debug", "info", "warning", "error"] as const)
          await extra.sendNotification(LOG(level, `${level} message`));
        return text("logged");
      },
    },
    {
      tool: {
        name: "touch",
        description: "Says the resource at `uri` changed (if subscribed)",
        inputSchema: { type: "object", properties: { uri: { type: "string" } } },
      },
      async run(args, _extra, server) {
        const uri = String(args.uri);
        if (!state.subscriptions.has(uri)) return text("not subscribed");
        await server.sendResourceUpdated({ uri });
        return text("touched");
      },
    },
  ];
}

const PROMPTS: { prompt: Prompt; get(args: Record<string, string>): GetPromptResult }[] = [
  {
    prompt: { name: "test_simple_prompt", title: "Simple", description: "No arguments" },
    get: () => ({
      messages: [
        { role: "user", content: { type: "text", text: "This is a simple prompt for testing." } },
      ],
    }),
  },
  {
    prompt: {
      name: "test_prompt_with_arguments",
      description: "Two required arguments",
      arguments: [
        { name: "arg1", description: "First test argument", required: true },
        { name: "arg2", description: "Second test argument", required: true },
      ],
    },
    get: (args) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "text",
            text: `Prompt with arguments: arg1='${args.arg1}', arg2='${args.arg2}'`,
          },
        },
      ],
    }),
  },
  {
    prompt: {
      name: "test_prompt_with_embedded_resource",
      description: "Embeds a resource",
      arguments: [{ name: "resourceUri", description: "URI to embed", required: true }],
    },
    get: (args) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "resource",
            resource: {
              uri: args.resourceUri ?? "test://example-resource",
              mimeType: "text/plain",
              text: "Embedded resource content for testing.",
            },
          },
        },
        {
          role: "user",
          content: { type: "text", text: "Please process the embedded resource above." },
        },
      ],
    }),
  },
  {
    prompt: { name: "test_prompt_with_image", description: "Includes an image" },
    get: () => ({
      messages: [
        { role: "user", content: { type: "image", data: IMAGE, mimeType: "image/png" } },
        { role: "user", content: { type: "text", text: "Please analyze the image above." } },
      ],
    }),
  },
];

const RESOURCES = [
  {
    uri: "test://static-text",
    name: "static-text",
    mimeType: "text/plain",
    description: "A static text resource",
    text: "This is the content of the static text resource.",
  },
  {
    uri: "test://static-binary",
    name: "static-binary",
    mimeType: "image/png",
    description: "A static binary resource",
    blob: IMAGE,
  },
  {
    uri: "test://watched-resource",
    name: "watched-resource",
    mimeType: "text/plain",
    description: "A resource clients may subscribe to",
    text: "Watched resource content",
  },
];
const TEMPLATE = /^test:\/\/template\/([^/]+)\/data$/;

export function buildReferenceServer(options: { extras?: boolean } = {}): {
  server: Server;
  state: ReferenceState;
} {
  const state: ReferenceState = { logLevel: null, subscriptions: new Set(), cancelled: 0 };
  const server = new Server(
    { name: "mcpx-reference-server", version: "1.0.0" },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        logging: {},
        completions: {},
      },
    },
  );
  const tools = [...conformanceTools(), ...(options.extras ? extraTools(state) : [])];
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: tools.map((entry) => entry.tool),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const entry = tools.find((candidate) => candidate.tool.name === request.params.name);
    if (!entry) throw new McpError(-32602, `Unknown tool: ${request.params.name}`);
    try {
      return await entry.run(request.params.arguments ?? {}, extra, server);
    } catch (error) {
      return { ...text((error as Error).message), isError: true };
    }
  });
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: RESOURCES.map(({ text: _t, blob: _b, ...resource }) => resource),
  }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [
      {
        uriTemplate: "test://template/{id}/data",
        name: "template",
        description: "Substitutes {id}",
        mimeType: "application/json",
      },
    ],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const { uri } = request.params;
    const resource = RESOURCES.find((candidate) => candidate.uri === uri);
    if (resource) {
      const { name: _n, description: _d, ...content } = resource;
      return { contents: [content] };
    }
    const id = TEMPLATE.exec(uri)?.[1];
    if (id === undefined) throw new McpError(-32002, `Resource not found: ${uri}`);
    return {
      contents: [
        {
          uri,
          mimeType: "application/json",
          text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
        },
      ],
    };
  });
  server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    state.subscriptions.add(request.params.uri);
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    state.subscriptions.delete(request.params.uri);
    return {};
  });
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({
    prompts: PROMPTS.map((entry) => entry.prompt),
  }));
  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    const entry = PROMPTS.find((candidate) => candidate.prompt.name === request.params.name);
    if (!entry) throw new McpError(-32602, `Unknown prompt: ${request.params.name}`);
    return entry.get(request.params.arguments ?? {});
  });
  server.setRequestHandler(SetLevelRequestSchema, async (request) => {
    state.logLevel = request.params.level;
    return {};
  });
  server.setRequestHandler(CompleteRequestSchema, async (request) => {
    const { ref, argument } = request.params;
    const candidates =
      ref.type === "ref/prompt" && ref.name === "test_prompt_with_arguments"
        ? ["alpha", "beta", "gamma"].filter((value) => value.startsWith(argument.value))
        : [];
    return { completion: { values: candidates, total: candidates.length, hasMore: false } };
  });
  return { server, state };
}
