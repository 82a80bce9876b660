import { randomUUID } from "node:crypto";
import type { THttpCallEvent, TToolCallEvent } from "@lunar/shared";
import { httpCall as sampleHttpCall, toolCall as sampleToolCall } from "@lunar/shared/testing";
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

/** A valid http_call (the shared sample, with the figures these tests assert on). */
export function httpCall(overrides: Partial<THttpCallEvent> = {}) {
  return sampleHttpCall({ durationMs: 42, bytesIn: 10, ...overrides });
}

/** An agent that stays connected (so it counts as connected) until `close()`. */
export class LiveAgent {
  private seq = 0;
  private readonly waiters: ((frame: { type: string } & Record<string, unknown>) => void)[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as { type: string } & Record<string, unknown>;
      for (const waiter of this.waiters.splice(0)) waiter(frame);
    });
  }

  static async connect(
    gatewayPort: number,
    apiKey: string,
    hello: { name: string; servers?: { name: string; transport: string }[] },
  ): Promise<LiveAgent> {
    const socket = new WebSocket(`ws://127.0.0.1:${gatewayPort}/v1/agent`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    const agent = new LiveAgent(socket);
    const welcome = agent.next("welcome");
    // The flows snapshot follows welcome: until it is in, a flows change made now could reach
    // this agent as the snapshot instead of as an update.
    const snapshot = agent.next("flows", 5_000, (frame) => frame.reason === "snapshot");
    socket.send(
      JSON.stringify({
        type: "hello",
        protocols: [1],
        agentId: randomUUID(),
        name: hello.name,
        version: "e2e",
        servers: hello.servers ?? [{ name: "slack", transport: "stdio" }],
        flowsVersion: null,
      }),
    );
    await welcome;
    await snapshot;
    return agent;
  }

  /** Sends one batch and waits for its ack (the events are stored by then). */
  async report(events: object[]): Promise<void> {
    this.seq += 1;
    const acked = this.next("ack");
    this.socket.send(JSON.stringify({ type: "events", seq: this.seq, events }));
    await acked;
  }

  close(): void {
    this.socket.close();
  }

  /** The next frame of this type (and matching `where`), received from now on. */
  next(
    type: string,
    timeoutMs = 5_000,
    where: (frame: Record<string, unknown>) => boolean = () => true,
  ): Promise<{ type: string } & Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} frame`)), timeoutMs);
      const wait = (frame: { type: string } & Record<string, unknown>) => {
        if (frame.type === type && where(frame)) {
          clearTimeout(timer);
          resolve(frame);
        } else {
          this.waiters.push(wait);
        }
      };
      this.waiters.push(wait);
    });
  }
}

/** A valid tool_call (the shared sample, with these tests' figures). */
export function toolCall(overrides: Partial<TToolCallEvent> = {}) {
  return sampleToolCall({ durationMs: 12, argumentBytes: 64, ...overrides });
}
