import { z } from "zod";

export const ZOverview = z.object({
  /** False until the org has any traffic in its rollups: the page shows how to get started. */
  hasTraffic: z.boolean(),
  last24h: z.object({
    toolCalls: z.number(),
    outboundCalls: z.number(),
    blocked: z.number(),
    /** Hosts with status unknown seen in the last 24 hours. */
    unknownHosts: z.number(),
  }),
  /** Agents with a live gateway connection (heartbeat within the last minute). */
  connectedAgents: z.number(),
  /** The last 60 minutes, oldest first, one point per minute (zeros included). */
  perMinute: z.array(
    z.object({
      minute: z.string(),
      toolCalls: z.number(),
      outboundCalls: z.number(),
      blocked: z.number(),
    }),
  ),
});
export type TOverview = z.infer<typeof ZOverview>;

export const ZAgentSummary = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  connected: z.boolean(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  servers: z.array(z.object({ name: z.string(), transport: z.string() })),
  flowsVersion: z.number().nullable(),
  droppedEvents: z.number(),
});
export type TAgentSummary = z.infer<typeof ZAgentSummary>;

export const ZAgentsPage = z.object({
  agents: z.array(ZAgentSummary),
  /** The org's current flows version, to tell agents that are behind. */
  currentFlowsVersion: z.number().int(),
});
export type TAgentsPage = z.infer<typeof ZAgentsPage>;
