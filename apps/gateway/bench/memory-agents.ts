import { randomUUID } from "node:crypto";
import {
  MAX_EVENTS_PER_BATCH,
  MAX_FRAME_BYTES,
  MAX_IN_FLIGHT_BATCHES,
  newEventId,
} from "@lunar/shared";
import WebSocket from "ws";

/** What the load agents did, together. */
export interface LoadStats {
  framesSent: number;
  bytesSent: number;
  acks: number;
  eventsAcked: number;
  /** Close codes the gateway chose, by code. */
  closes: Map<number, number>;
}

export function newLoadStats(): LoadStats {
  return { framesSent: 0, bytesSent: 0, acks: 0, eventsAcked: 0, closes: new Map() };
}

/**
 * Valid events frames of MAX_EVENTS_PER_BATCH events that fill MAX_FRAME_BYTES as closely as the
 * schema allows (each event's path padded), every event with a fresh id.
 */
export function maxSizeFrames(): (seq: number) => string {
  const event = (id: string, path: string) =>
    JSON.stringify({
      id,
      type: "http_call",
      ts: Date.now(),
      server: "memory-bench",
      correlationId: randomUUID(),
      durationMs: 12.5,
      method: "POST",
      scheme: "https",
      host: "api.example.com",
      port: 443,
      path,
      status: 200,
      bytesIn: 1024,
      bytesOut: 512,
      decision: "allowed",
      rule: null,
      networkError: null,
      inspected: true,
    });
  const envelope = '{"type":"events","seq":9999999999,"events":[]}'.length;
  const budget = Math.floor((MAX_FRAME_BYTES - envelope) / MAX_EVENTS_PER_BATCH) - 1;
  const pathLength = Math.min(2_048, budget - event(newEventId(), "").length);
  const [head, tail] = event("@", `/${"p".repeat(pathLength - 1)}`).split('"@"') as [
    string,
    string,
  ];
  return (seq) => {
    const events: string[] = [];
    for (let i = 0; i < MAX_EVENTS_PER_BATCH; i++) events.push(`${head}"${newEventId()}"${tail}`);
    return `{"type":"events","seq":${seq},"events":[${events.join(",")}]}`;
  };
}

interface AgentOptions {
  port: number;
  apiKey: string;
  frame: (seq: number) => string;
  stats: LoadStats;
  /** False once the benchmark's load phase is over. */
  running: () => boolean;
}

function open(options: AgentOptions): WebSocket {
  const socket = new WebSocket(`ws://127.0.0.1:${options.port}/v1/agent`, {
    headers: { authorization: `Bearer ${options.apiKey}` },
    perMessageDeflate: false,
  });
  socket.on("error", () => {});
  socket.on("close", (code) => {
    if (!options.running()) return;
    options.stats.closes.set(code, (options.stats.closes.get(code) ?? 0) + 1);
  });
  socket.once("open", () => {
    socket.send(
      JSON.stringify({
        type: "hello",
        protocols: [1],
        agentId: randomUUID(),
        name: "memory-bench",
        version: "bench",
        servers: [],
        flowsVersion: null,
      }),
    );
  });
  return socket;
}

/**
 * An agent that sends max-size batches without end and never reads a byte the gateway sends
 * (its socket is paused): no ack, no welcome. Only its own send buffer limits it (2 MiB here, so
 * the benchmark's memory stays the benchmark's own).
 */
export function silentAgent(options: AgentOptions): WebSocket {
  const socket = open(options);
  let seq = 0;
  const pump = () => {
    while (options.running() && socket.readyState === WebSocket.OPEN) {
      if (socket.bufferedAmount > 2 * MAX_FRAME_BYTES) return;
      const frame = options.frame(++seq);
      options.stats.framesSent++;
      options.stats.bytesSent += frame.length;
      socket.send(frame, () => setImmediate(pump));
    }
  };
  socket.once("open", () => {
    socket.pause();
    pump();
  });
  return socket;
}

/** An agent that sends 1 MiB frames as fast as the protocol allows: MAX_IN_FLIGHT_BATCHES unacked. */
export function fastAgent(options: AgentOptions): WebSocket {
  const socket = open(options);
  let seq = 0;
  let inFlight = 0;
  const pump = () => {
    while (
      options.running() &&
      socket.readyState === WebSocket.OPEN &&
      inFlight < MAX_IN_FLIGHT_BATCHES
    ) {
      const frame = options.frame(++seq);
      inFlight++;
      options.stats.framesSent++;
      options.stats.bytesSent += frame.length;
      socket.send(frame);
    }
  };
  socket.on("message", (data) => {
    const frame = JSON.parse(data.toString()) as {
      type: string;
      stored?: number;
      duplicates?: number;
    };
    if (frame.type === "welcome") pump();
    if (frame.type !== "ack") return;
    inFlight--;
    options.stats.acks++;
    options.stats.eventsAcked += (frame.stored ?? 0) + (frame.duplicates ?? 0);
    pump();
  });
  return socket;
}
