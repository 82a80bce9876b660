import type { TLiveEvent } from "@lunar/shared";
import { describe, expect, it } from "vitest";
import { mergeLiveEvents } from "./merge-live-events";

function event(id: string, occurredAt: string): TLiveEvent {
  return {
    id,
    kind: "http_call",
    occurredAt,
    agentId: "agent",
    server: "slack",
    durationMs: 1,
    correlationId: null,
    tool: null,
    outcome: null,
    method: "GET",
    host: "slack.com",
    path: "/",
    endpoint: "/",
    status: 200,
    decision: "allowed",
    rule: null,
    networkError: null,
  };
}

describe("mergeLiveEvents", () => {
  it("shows each event once, newest first, whether it came from history or the stream", () => {
    const history = [event("b", "2026-11-26T10:00:02Z"), event("a", "2026-11-26T10:00:01Z")];
    const streamed = [event("c", "2026-11-26T10:00:03Z"), event("b", "2026-11-26T10:00:02Z")];
    expect(mergeLiveEvents(streamed, history, 10).map((e) => e.id)).toEqual(["c", "b", "a"]);
    expect(mergeLiveEvents(history, streamed, 10).map((e) => e.id)).toEqual(["c", "b", "a"]);
  });

  it("orders events of the same millisecond by id, and keeps only the newest", () => {
    const same = "2026-11-26T10:00:00Z";
    const merged = mergeLiveEvents([event("x1", same)], [event("x3", same), event("x2", same)], 2);
    expect(merged.map((e) => e.id)).toEqual(["x3", "x2"]);
  });
});
