import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CatalogKind, UpstreamCatalog } from "./upstream-server";

/** Reads whole lists (all pages, at most 100) of the given kinds that the server supports. */
export async function readCatalog(
  client: Client,
  kinds: CatalogKind[],
): Promise<Partial<UpstreamCatalog>> {
  const capabilities = client.getServerCapabilities() ?? {};
  const read: Partial<UpstreamCatalog> = {};
  const all = async <T>(fetch: (cursor?: string) => Promise<{ items: T[]; next?: string }>) => {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await fetch(cursor);
      items.push(...result.items);
      if (!result.next) break;
      cursor = result.next;
    }
    return items;
  };
  if (kinds.includes("tools") && capabilities.tools) {
    read.tools = await all(async (cursor) => {
      const r = await client.listTools(cursor ? { cursor } : undefined);
      return { items: r.tools, next: r.nextCursor };
    });
  }
  if (kinds.includes("resources") && capabilities.resources) {
    read.resources = await all(async (cursor) => {
      const r = await client.listResources(cursor ? { cursor } : undefined);
      return { items: r.resources, next: r.nextCursor };
    });
    read.resourceTemplates = await all(async (cursor) => {
      const r = await client.listResourceTemplates(cursor ? { cursor } : undefined);
      return { items: r.resourceTemplates, next: r.nextCursor };
    }).catch(() => []);
  }
  if (kinds.includes("prompts") && capabilities.prompts) {
    read.prompts = await all(async (cursor) => {
      const r = await client.listPrompts(cursor ? { cursor } : undefined);
      return { items: r.prompts, next: r.nextCursor };
    });
  }
  return read;
}
