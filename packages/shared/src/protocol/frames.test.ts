import { describe, expect, it } from "vitest";
import { httpCall as sampleHttpCall } from "../testing/sample-events";
import { ZAgentEvent } from "./events";
import { ZAgentFrame } from "./frames";

const toolCall = {
  id: "0193a0b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b",
  type: "tool_call",
  ts: 1_795_600_000_000,
  server: "slack",
  tool: "post_message",
  correlationId: "c-1",
  durationMs: 12.5,
  outcome: "ok",
  errorType: null,
  argumentBytes: 120,
};

describe("protocol v1 frames", () => {
  it("accepts a hello and an events frame", () => {
    const hello = {
      type: "hello",
      protocols: [1],
      agentId: "0193a0b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b",
      name: "alice-laptop",
      version: "0.1.0",
      servers: [{ name: "slack", transport: "stdio" }],
      flowsVersion: null,
    };
    expect(ZAgentFrame.safeParse(hello).success).toBe(true);
    expect(ZAgentFrame.safeParse({ type: "events", seq: 1, events: [toolCall] }).success).toBe(
      true,
    );
  });

  it("refuses unknown frame types, unknown fields and empty or oversized batches", () => {
    expect(ZAgentFrame.safeParse({ type: "shell", cmd: "rm -rf /" }).success).toBe(false);
    expect(ZAgentFrame.safeParse({ type: "ping", ts: 1, extra: true }).success).toBe(false);
    expect(ZAgentFrame.safeParse({ type: "events", seq: 1, events: [] }).success).toBe(false);
    const big = Array.from({ length: 501 }, () => toolCall);
    expect(ZAgentFrame.safeParse({ type: "events", seq: 1, events: big }).success).toBe(false);
  });

  it("accepts a spool_dropped report of at least one event, and nothing else in it", () => {
    expect(ZAgentFrame.safeParse({ type: "spool_dropped", count: 3 }).success).toBe(true);
    expect(ZAgentFrame.safeParse({ type: "spool_dropped", count: 0 }).success).toBe(false);
    expect(ZAgentFrame.safeParse({ type: "spool_dropped", count: 1.5 }).success).toBe(false);
    expect(ZAgentFrame.safeParse({ type: "spool_dropped", count: 2, orgId: "x" }).success).toBe(
      false,
    );
  });

  it("validates events one by one: a bad id, a huge host or an extra field is refused", () => {
    expect(ZAgentEvent.safeParse(toolCall).success).toBe(true);
    expect(ZAgentEvent.safeParse({ ...toolCall, id: "not-a-uuid" }).success).toBe(false);
    expect(ZAgentEvent.safeParse({ ...toolCall, argumentValues: { token: "x" } }).success).toBe(
      false,
    );
    const http = sampleHttpCall({
      id: "0193a0b4-1c2d-7e8f-9a0b-1c2d3e4f5a6c",
      ts: 1,
      durationMs: 3,
      bytesIn: 10,
    });
    expect(ZAgentEvent.safeParse(http).success).toBe(true);
    expect(ZAgentEvent.safeParse({ ...http, host: "a".repeat(254) }).success).toBe(false);
    expect(ZAgentEvent.safeParse({ ...http, method: "get" }).success).toBe(false);
  });
});
