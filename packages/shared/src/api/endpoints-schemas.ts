import { z } from "zod";
import { ZStorableText } from "../storable/storable-text";
import { ZProviderStatus, ZTrafficWindow } from "./providers-schemas";

/** Path parameter of GET /api/providers/{host}/endpoints: a host as stored (lower case). */
export const ZHostEndpointsParams = z.object({
  host: ZStorableText.min(1, "Name a host").max(253, "Host is too long").toLowerCase(),
});
export type THostEndpointsParams = z.infer<typeof ZHostEndpointsParams>;

/** Query of GET /api/providers/{host}/endpoints: the same windows as the providers page. */
export const ZHostEndpointsQuery = z
  .object({
    window: ZTrafficWindow.default("24h"),
  })
  .strict();
export type THostEndpointsQuery = z.infer<typeof ZHostEndpointsQuery>;

export const ZHostEndpoint = z.object({
  method: z.string(),
  /** The path with ids collapsed to {id}, as an agent's call made it (display as text). */
  template: z.string(),
  /** Calls in the window; 0 for an endpoint seen only before it. */
  calls: z.number(),
  errors: z.number(),
  blocked: z.number(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  /** The MCP servers that called it in the window: the first 10 by name, and how many in all. */
  servers: z.array(z.string()),
  serverCount: z.number(),
  /** When the endpoint was first and last called (any window); null if never recorded. */
  firstSeenAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
});
export type THostEndpoint = z.infer<typeof ZHostEndpoint>;

export const ZHostEndpointsPage = z.object({
  window: ZTrafficWindow,
  provider: z.object({ host: z.string(), domain: z.string(), status: ZProviderStatus }),
  /** Most calls first, then by method and template. */
  endpoints: z.array(ZHostEndpoint),
  /** More endpoints exist than are listed (at most 1,000). */
  truncated: z.boolean(),
});
export type THostEndpointsPage = z.infer<typeof ZHostEndpointsPage>;
