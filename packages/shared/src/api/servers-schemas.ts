import { z } from "zod";
import { ZTrafficWindow } from "./providers-schemas";

/** Query of GET /api/servers: the same windows as the providers page. */
export const ZServersQuery = z
  .object({
    window: ZTrafficWindow.default("24h"),
  })
  .strict();
export type TServersQuery = z.infer<typeof ZServersQuery>;

export const ZServerSummary = z.object({
  /** The MCP server's name from the agents' configs (any text an agent sent: display as text). */
  name: z.string(),
  /** Transports the agents announce for it (stdio, http, sse); empty when known from traffic only. */
  transports: z.array(z.string()),
  /** Agents whose last hello names this server, connected ones first. */
  agents: z.array(z.object({ id: z.string(), name: z.string(), connected: z.boolean() })),
  /** Tool calls in the window. `errors`: any outcome other than ok. */
  toolCalls: z.object({
    count: z.number(),
    errors: z.number(),
    p50Ms: z.number().nullable(),
    p95Ms: z.number().nullable(),
  }),
  /** Outbound HTTP calls in the window, and the distinct hosts they went to. */
  outbound: z.object({
    calls: z.number(),
    errors: z.number(),
    blocked: z.number(),
    hosts: z.number(),
    /** Of those hosts, the ones still `unknown` (never approved or blocked). */
    unknownHosts: z.number(),
    /** The first few unknown hosts by name, to say which ones without another page. */
    unknownHostNames: z.array(z.string()),
  }),
});
export type TServerSummary = z.infer<typeof ZServerSummary>;

export const ZServersPage = z.object({
  window: ZTrafficWindow,
  /** Servers calling unknown hosts first, then by name. */
  servers: z.array(ZServerSummary),
  /** More servers exist than are listed (at most 1,000). */
  truncated: z.boolean(),
});
export type TServersPage = z.infer<typeof ZServersPage>;
