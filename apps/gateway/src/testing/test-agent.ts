import { randomUUID } from "node:crypto";
import type { TAgentEvent, TGatewayFrame } from "@lunar/shared";
import { toolCall } from "@lunar/shared/testing";
import WebSocket from "ws";

type FrameOf<T extends TGatewayFrame["type"]> = Extract<TGatewayFrame, { type: T }>;

/**
 * A minimal protocol-v1 agent for tests: connects with a key, records every frame and the close,
 * and lets a test await "the next frame of type X" or the close, with a deadline.
 */
export class TestAgent {
  readonly frames: TGatewayFrame[] = [];
  readonly agentId = randomUUID();
  closed: { code: number; reason: string } | null = null;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      this.frames.push(JSON.parse(data.toString()) as TGatewayFrame);
      this.wake();
    });
    socket.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  static connect(port: number, apiKey: string): Promise<TestAgent> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/agent`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve(new TestAgent(socket)));
      socket.once("unexpected-response", (_request, response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on("end", () => {
          const error = new Error(`upgrade refused: ${response.statusCode}`);
          reject(Object.assign(error, { status: response.statusCode, body }));
        });
      });
      socket.once("error", reject);
    });
  }

  /** Connects and says hello; resolves after welcome and the flows snapshot. */
  static async ready(port: number, apiKey: string): Promise<TestAgent> {
    const agent = await TestAgent.connect(port, apiKey);
    agent.hello();
    await agent.next("welcome");
    await agent.next("flows");
    return agent;
  }

  hello(overrides: Record<string, unknown> = {}): void {
    this.sendJson({
      type: "hello",
      protocols: [1],
      agentId: this.agentId,
      name: "test-agent",
      version: "0.0.1",
      servers: [{ name: "slack", transport: "stdio" }],
      flowsVersion: null,
      ...overrides,
    });
  }

  sendEvents(seq: number, events: unknown[]): void {
    this.sendJson({ type: "events", seq, events });
  }

  sendJson(value: unknown): void {
    this.socket.send(JSON.stringify(value));
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** The next not-yet-consumed frame of this type. */
  async next<T extends TGatewayFrame["type"]>(type: T, timeoutMs = 5_000): Promise<FrameOf<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex((frame) => frame.type === type);
      if (index >= 0) return this.frames.splice(index, 1)[0] as FrameOf<T>;
      if (this.closed)
        throw new Error(
          `closed (${this.closed.code} ${this.closed.reason}) before a ${type} frame`,
        );
      await this.wait(deadline, `a ${type} frame`);
    }
  }

  async closedWith(timeoutMs = 5_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) await this.wait(deadline, "the close");
    return this.closed;
  }

  close(): void {
    this.socket.close();
  }

  private wait(deadline: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}`)),
        Math.max(0, deadline - Date.now()),
      );
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

export function toolCallEvent(overrides: Partial<TAgentEvent> = {}): TAgentEvent {
  return { ...toolCall({ correlationId: randomUUID() }), ...overrides } as TAgentEvent;
}
