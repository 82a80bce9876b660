import { randomUUID } from "node:crypto";
import WebSocket from "ws";

/** Just enough of an agent to report events through a real gateway: hello, one batch, its ack. */
export async function reportEvents(
  gatewayPort: number,
  apiKey: string,
  events: object[],
): Promise<void> {
  const socket = new WebSocket(`ws://127.0.0.1:${gatewayPort}/v1/agent`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  const acked = new Promise<void>((resolve, reject) => {
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as { type: string };
      if (frame.type === "welcome") socket.send(JSON.stringify({ type: "events", seq: 1, events }));
      if (frame.type === "ack") resolve();
    });
    socket.once("close", (code) => reject(new Error(`gateway closed the socket (${code})`)));
  });
  socket.send(
    JSON.stringify({
      type: "hello",
      protocols: [1],
      agentId: randomUUID(),
      name: "e2e-agent",
      version: "e2e",
      servers: [{ name: "slack", transport: "stdio" }],
      flowsVersion: null,
    }),
  );
  await acked;
  socket.close();
}

export function httpCall(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    type: "http_call",
    ts: Date.now(),
    server: "slack",
    correlationId: null,
    durationMs: 42,
    method: "POST",
    scheme: "https",
    host: "slack.com",
    port: 443,
    path: "/api/chat.postMessage",
    status: 200,
    bytesIn: 10,
    bytesOut: 20,
    decision: "allowed",
    rule: null,
    networkError: null,
    inspected: true,
    ...overrides,
  };
}
