import { z } from "zod";
import { MAX_STORABLE_INT4 } from "../storable/storable-text";
import { MAX_EVENTS_PER_BATCH, MAX_SERVERS_PER_AGENT } from "./limits";

// Protocol v1 frames: JSON text messages with a `type`. docs/PROTOCOL.md is their prose.

export const ZServerInfo = z
  .object({
    name: z.string().min(1).max(128),
    transport: z.enum(["stdio", "http", "sse"]),
  })
  .strict();

// ---- agent → gateway ----

export const ZHelloFrame = z
  .object({
    type: z.literal("hello"),
    /** Protocol versions the agent speaks; the gateway picks the highest it also speaks. */
    protocols: z.array(z.number().int().positive()).min(1).max(16),
    agentId: z.uuid(),
    name: z.string().min(1).max(128),
    version: z.string().min(1).max(64),
    servers: z.array(ZServerInfo).max(MAX_SERVERS_PER_AGENT),
    /** The flows version the agent enforces now (from its disk cache), if any. */
    flowsVersion: z.number().int().nonnegative().max(MAX_STORABLE_INT4).nullable(),
  })
  .strict();

/**
 * Events are validated one by one after the envelope, so one bad event is rejected alone
 * (and named in the ack) instead of sinking its batch.
 */
export const ZEventsFrame = z
  .object({
    type: z.literal("events"),
    /** Per-connection, increasing; the ack echoes it. */
    seq: z.number().int().nonnegative(),
    events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_BATCH),
  })
  .strict();

export const ZServersFrame = z
  .object({ type: z.literal("servers"), servers: z.array(ZServerInfo).max(MAX_SERVERS_PER_AGENT) })
  .strict();

export const ZFlowsAppliedFrame = z
  .object({
    type: z.literal("flows_applied"),
    version: z.number().int().nonnegative().max(MAX_STORABLE_INT4),
  })
  .strict();

export const ZPingFrame = z.object({ type: z.literal("ping"), ts: z.number() }).strict();

/**
 * The agent's disk spool hit its size bound and dropped this many events (oldest first) since
 * its last report: counted on the agent's row so the loss is visible rather than silent.
 */
export const ZSpoolDroppedFrame = z
  .object({
    type: z.literal("spool_dropped"),
    count: z.number().int().min(1).max(MAX_STORABLE_INT4),
  })
  .strict();

export const ZAgentFrame = z.discriminatedUnion("type", [
  ZHelloFrame,
  ZEventsFrame,
  ZServersFrame,
  ZFlowsAppliedFrame,
  ZPingFrame,
  ZSpoolDroppedFrame,
]);
export type TAgentFrame = z.infer<typeof ZAgentFrame>;
export type THelloFrame = z.infer<typeof ZHelloFrame>;
export type TEventsFrame = z.infer<typeof ZEventsFrame>;
export type TSpoolDroppedFrame = z.infer<typeof ZSpoolDroppedFrame>;
export type TServerInfo = z.infer<typeof ZServerInfo>;

// ---- gateway → agent ----

export const ZWelcomeFrame = z.object({
  type: z.literal("welcome"),
  protocol: z.number().int(),
  orgId: z.string(),
  connectionId: z.string(),
  limits: z.object({
    maxFrameBytes: z.number().int(),
    maxEventsPerBatch: z.number().int(),
    maxInFlightBatches: z.number().int(),
    heartbeatIntervalMs: z.number().int(),
  }),
});

export const ZRejectedEvent = z.object({
  index: z.number().int(),
  id: z.string().nullable(),
  reason: z.string(),
});

export const ZAckFrame = z.object({
  type: z.literal("ack"),
  seq: z.number().int(),
  /** Newly stored events. */
  stored: z.number().int(),
  /** Already stored before (redelivery): safe to delete from the spool too. */
  duplicates: z.number().int(),
  /** Invalid events: never stored, never worth resending. */
  rejected: z.array(ZRejectedEvent),
});

export const ZFlowsFrame = z.object({
  type: z.literal("flows"),
  /** Monotonic per org; 0 means "no flows" (visibility mode). */
  version: z.number().int().nonnegative(),
  /** "snapshot" on connect, "update" when the org's flows change. */
  reason: z.enum(["snapshot", "update"]),
  /** The flows document (format: docs/FLOWS.md); null when the org has none. */
  document: z.unknown().nullable(),
});

export const ZErrorFrame = z.object({
  type: z.literal("error"),
  code: z.enum([
    "malformed_json",
    "invalid_frame",
    "unknown_frame_type",
    "hello_required",
    "duplicate_hello",
    "rate_limited",
    "internal",
  ]),
  message: z.string(),
  /** The seq of the events frame this is about, when there is one. */
  seq: z.number().int().nullable(),
});

export const ZPongFrame = z.object({ type: z.literal("pong"), ts: z.number() });

export const ZGatewayFrame = z.discriminatedUnion("type", [
  ZWelcomeFrame,
  ZAckFrame,
  ZFlowsFrame,
  ZErrorFrame,
  ZPongFrame,
]);
export type TGatewayFrame = z.infer<typeof ZGatewayFrame>;
export type TAckFrame = z.infer<typeof ZAckFrame>;
export type TErrorFrame = z.infer<typeof ZErrorFrame>;
export type TFlowsFrame = z.infer<typeof ZFlowsFrame>;
export type TWelcomeFrame = z.infer<typeof ZWelcomeFrame>;
