import { newEventId } from "../protocol/event-id";
import type { THttpCallEvent, TToolCallEvent } from "../protocol/events";

// Valid protocol-v1 events for tests (`@lunar/shared/testing`), with fresh UUIDv7 ids.

export function toolCall(overrides: Partial<TToolCallEvent> = {}): TToolCallEvent {
  return {
    id: newEventId(),
    type: "tool_call",
    ts: Date.now(),
    server: "slack",
    tool: "post_message",
    correlationId: null,
    durationMs: 5,
    outcome: "ok",
    errorType: null,
    argumentBytes: 10,
    ...overrides,
  };
}

export function httpCall(overrides: Partial<THttpCallEvent> = {}): THttpCallEvent {
  return {
    id: newEventId(),
    type: "http_call",
    ts: Date.now(),
    server: "slack",
    correlationId: null,
    durationMs: 12,
    method: "POST",
    scheme: "https",
    host: "slack.com",
    port: 443,
    path: "/api/chat.postMessage",
    status: 200,
    bytesIn: 100,
    bytesOut: 20,
    decision: "allowed",
    rule: null,
    networkError: null,
    inspected: true,
    ...overrides,
  };
}

export function blockedCall(overrides: Partial<THttpCallEvent> = {}): THttpCallEvent {
  return httpCall({
    decision: "blocked",
    rule: "org:BlockFilter#1",
    status: null,
    host: "exfil.example.com",
    ...overrides,
  });
}
