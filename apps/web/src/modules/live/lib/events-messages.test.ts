import type { TLiveEvent } from "@lunar/shared";
import { describe, expect, it } from "vitest";
import { eventsMessages, MAX_MESSAGE_CHARS } from "./events-messages";

function event(id: number, path = "/"): TLiveEvent {
  return {
    id: String(id),
    kind: "http_call",
    occurredAt: "2026-12-06T00:00:00.000Z",
    agentId: "agent",
    server: "slack",
    durationMs: 1,
    correlationId: null,
    tool: null,
    outcome: null,
    method: "GET",
    host: "slack.com",
    path,
    endpoint: path,
    status: 200,
    decision: "allowed",
    rule: null,
    networkError: "line\nbreak\r\u2028",
  };
}

function dataOf(message: string): TLiveEvent[] {
  expect(message).toMatch(/^event: events\ndata: [^\n]*\n\n$/);
  return JSON.parse(message.slice("event: events\ndata: ".length));
}

describe("eventsMessages", () => {
  it("a small batch is one message with every event", () => {
    const events = [event(1), event(2)];
    const messages = eventsMessages(events);
    expect(messages).toHaveLength(1);
    expect(dataOf(messages[0] as string)).toEqual(events);
  });

  it("a large batch is split into messages of at most MAX_MESSAGE_CHARS, in order, none lost", () => {
    const events = Array.from({ length: 1_000 }, (_, i) => event(i, `/${"x".repeat(2_000)}`));
    const messages = eventsMessages(events);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(message.length).toBeLessThan(MAX_MESSAGE_CHARS + 100);
    expect(messages.flatMap(dataOf).map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it("an event larger than a message still goes, alone", () => {
    const big = event(1, `/${"x".repeat(MAX_MESSAGE_CHARS)}`);
    const messages = eventsMessages([event(0), big, event(2)]);
    expect(messages.map((m) => dataOf(m).map((e) => e.id))).toEqual([["0"], ["1"], ["2"]]);
  });
});
