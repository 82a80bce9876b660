// Our reference MCP server: what the official conformance suite (@modelcontextprotocol/conformance
// 0.1.16) expects of its "everything server" (tools, resources, prompts, logging, completion,
// sampling, elicitation), written on the SDK's low-level Server with documented APIs only. With
// `extras`, a few more tools the agent's fidelity tests need (timing is parameterized).
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  CreateMessageResultSchema,
  ElicitResultSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { PROMPTS, RESOURCES, TEMPLATE } from "./reference-catalog";
import {
  AUDIO,
  EMPTY,
  IMAGE,
  LOG,
  type ReferenceState,
  sleep,
  type ToolEntry,
  text,
} from "./reference-common";
import { extraTools } from "./reference-extra-tools";

export type { ReferenceState } from "./reference-common";

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
