// The reference server's prompts and resources, as the conformance suite expects them.
import type { GetPromptResult, Prompt } from "@modelcontextprotocol/sdk/types.js";
import { IMAGE } from "./reference-common";

export const PROMPTS: { prompt: Prompt; get(args: Record<string, string>): GetPromptResult }[] = [
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

export const RESOURCES = [
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
export const TEMPLATE = /^test:\/\/template\/([^/]+)\/data$/;
