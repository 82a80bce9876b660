import { randomUUID } from "node:crypto";
import { newEventId, type TAgentEvent } from "@lunar/shared";
import WebSocket from "ws";

/**
 * A protocol-v1 load client: hello, then batches with up to `window` unacked at a time, resending
 * nothing (the benchmark checks storage separately). Resolves with the time the last ack came.
 */
export async function runLoadAgent(options: {
  port: number;
  apiKey: string;
  batches: TAgentEvent[][];
  window: number;
  /** Optional pacing: at most this many batches started per second. */
  batchesPerSecond?: number;
}): Promise<{ acked: number; stored: number; finishedAt: number }> {
  const socket = new WebSocket(`ws://127.0.0.1:${options.port}/v1/agent`, {
    headers: { authorization: `Bearer ${options.apiKey}` },
    perMessageDeflate: false,
  });
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  let next = 0;
  let inFlight = 0;
  let acked = 0;
  let stored = 0;
  let ready = false;
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    const pump = () => {
      while (ready && inFlight < options.window && next < options.batches.length) {
        if (
          options.batchesPerSecond &&
          next >= ((Date.now() - startedAt) / 1000) * options.batchesPerSecond
        ) {
          setTimeout(pump, 20);
          return;
        }
        socket.send(JSON.stringify({ type: "events", seq: next, events: options.batches[next] }));
        next++;
        inFlight++;
      }
    };
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as {
        type: string;
        stored?: number;
        duplicates?: number;
      };
      if (frame.type === "welcome") {
        ready = true;
        pump();
      } else if (frame.type === "ack") {
        inFlight--;
        acked++;
        stored += frame.stored ?? 0;
        if (acked === options.batches.length) {
          socket.close();
          resolve({ acked, stored, finishedAt: Date.now() });
        } else pump();
      }
    });
    socket.on("close", (code) => {
      if (acked < options.batches.length)
        reject(new Error(`closed with ${code} after ${acked} acks`));
    });
    socket.send(
      JSON.stringify({
        type: "hello",
        protocols: [1],
        agentId: randomUUID(),
        name: "bench",
        version: "bench",
        servers: [],
        flowsVersion: null,
      }),
    );
  });
}

/** Event-shaped rows like a busy MCP server's: a few hosts and endpoints, varied latency. */
export function makeEvents(count: number): TAgentEvent[] {
  const hosts = ["slack.com", "maps.googleapis.com", "api.github.com", "api.badactor.com"];
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    id: newEventId(),
    type: "http_call" as const,
    ts: now - (i % 600) * 100,
    server: `server-${i % 3}`,
    correlationId: randomUUID(),
    durationMs: 1 + ((i * 7919) % 500),
    method: i % 5 === 0 ? "GET" : "POST",
    scheme: "https" as const,
    host: hosts[i % hosts.length] as string,
    port: 443,
    path: `/api/items/${i % 50}/detail`,
    status: i % 97 === 0 ? 500 : 200,
    bytesIn: 512,
    bytesOut: 256,
    decision: "allowed" as const,
    rule: null,
    networkError: null,
    inspected: true,
  }));
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
