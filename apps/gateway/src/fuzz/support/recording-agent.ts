import type { TAckFrame, TGatewayFrame } from "@lunar/shared";
import WebSocket from "ws";

export interface Closed {
  code: number;
  reason: string;
  /** True when this side started the close (then the code says nothing about the gateway). */
  byUs: boolean;
}

/**
 * A raw agent socket for hostile input: sends any bytes as a text or binary frame, keeps every
 * frame the gateway sends in arrival order (never consumed, so the order of acks can be checked
 * afterwards) and lets a test await a condition on them, with a deadline.
 */
export class RecordingAgent {
  readonly frames: TGatewayFrame[] = [];
  /** Frames the gateway sent that were not JSON (there should be none). */
  readonly garbage: string[] = [];
  closed: Closed | null = null;
  private closing = false;
  private waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const text = data.toString();
      try {
        this.frames.push(JSON.parse(text) as TGatewayFrame);
      } catch {
        this.garbage.push(text.slice(0, 200));
      }
      this.wake();
    });
    socket.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString(), byUs: this.closing };
      this.wake();
    });
    // A protocol error on our side of the socket shows up as the close; nothing to throw.
    socket.on("error", () => {});
  }

  static connect(port: number, apiKey: string): Promise<RecordingAgent> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/agent`, {
      headers: { authorization: `Bearer ${apiKey}` },
      perMessageDeflate: false,
    });
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve(new RecordingAgent(socket)));
      socket.once("unexpected-response", (_request, response) =>
        reject(new Error(`upgrade refused: HTTP ${response.statusCode}`)),
      );
      socket.once("error", reject);
    });
  }

  /** Sends bytes as one frame; a text frame's bytes go out as they are, valid UTF-8 or not. */
  send(data: string | Buffer, binary = false): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(data, { binary });
  }

  sendJson(value: unknown): void {
    this.send(JSON.stringify(value));
  }

  acks(): TAckFrame[] {
    return this.frames.filter((frame): frame is TAckFrame => frame.type === "ack");
  }

  /** Resolves with `find`'s first non-undefined answer, re-asked on every frame and the close. */
  async until<T>(find: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (this.closed) throw new Error(`closed (${this.closed.code}) before ${what}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await this.nextChange(remaining);
    }
  }

  /** The first frame of this type the gateway sent. */
  frameOf<T extends TGatewayFrame["type"]>(
    type: T,
  ): Extract<TGatewayFrame, { type: T }> | undefined {
    return this.frames.find((frame) => frame.type === type) as
      | Extract<TGatewayFrame, { type: T }>
      | undefined;
  }

  /** Resolves once the socket is closed, by either side, or rejects past the deadline. */
  closedWithin(timeoutMs = 5_000): Promise<Closed> {
    return this.until(() => this.closed ?? undefined, "the close", timeoutMs);
  }

  close(): void {
    this.closing = true;
    if (
      this.socket.readyState === WebSocket.OPEN ||
      this.socket.readyState === WebSocket.CONNECTING
    )
      this.socket.terminate();
  }

  /** Resolves on the next frame or close, or after `ms`. */
  private nextChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
