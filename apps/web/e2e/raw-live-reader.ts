import { connect, type Socket } from "node:net";

/**
 * A GET /api/live over a plain TCP socket, so a test controls reading byte by byte: it can stop
 * reading altogether (`stopReading`), which no browser API allows. It decodes the chunked
 * response and collects the ids of the events it has read.
 */
export class RawLiveReader {
  readonly ids = new Set<string>();
  /** Body bytes read so far (after de-chunking). */
  bytesRead = 0;
  ready = false;
  /** The response's status line and headers. */
  head = "";
  private raw = Buffer.alloc(0);
  private body = Buffer.alloc(0);
  private headersDone = false;
  private ended = false;
  private readonly waiters: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on("data", (data: Buffer) => this.onData(data));
    const onEnd = () => {
      this.ended = true;
      this.wake();
    };
    socket.on("end", onEnd);
    socket.on("close", onEnd);
    socket.on("error", onEnd);
  }

  /** Opens the stream and resolves once the server says it is subscribed (`ready`). */
  static async open(port: number, sessionCookie: string, query = ""): Promise<RawLiveReader> {
    const socket = connect({ host: "127.0.0.1", port });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const reader = new RawLiveReader(socket);
    socket.write(
      `GET /api/live${query} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        `Cookie: lunar_session=${sessionCookie}\r\nAccept: text/event-stream\r\n\r\n`,
    );
    await reader.until(() => reader.ready);
    if (!reader.ready) throw new Error(`GET /api/live did not stream: ${reader.head}`);
    return reader;
  }

  /** From now on nothing more is read from the socket: the server's writes pile up. */
  stopReading(): void {
    this.socket.pause();
  }

  /** Reads again, until the server ends the response: false if it has not within `timeoutMs`. */
  async readToEnd(timeoutMs: number): Promise<boolean> {
    this.socket.resume();
    return this.until(() => this.ended, timeoutMs);
  }

  /**
   * Whether `condition` comes to hold (checked after every read) before the response ends or
   * `timeoutMs` passes.
   */
  until(condition: () => boolean, timeoutMs = 30_000): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(condition()), timeoutMs);
      const check = () => {
        if (!condition() && !this.ended) return void this.waiters.push(check);
        clearTimeout(timer);
        resolve(condition());
      };
      check();
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(data: Buffer): void {
    this.raw = Buffer.concat([this.raw, data]);
    if (!this.headersDone) {
      const end = this.raw.indexOf("\r\n\r\n");
      if (end < 0) return;
      this.head = this.raw.subarray(0, end).toString("latin1");
      if (!/^HTTP\/1\.1 200/.test(this.head) || !/transfer-encoding: chunked/i.test(this.head)) {
        this.socket.destroy();
        return;
      }
      this.headersDone = true;
      this.raw = this.raw.subarray(end + 4);
    }
    this.dechunk();
    this.readMessages();
    this.wake();
  }

  private dechunk(): void {
    for (;;) {
      const lineEnd = this.raw.indexOf("\r\n");
      if (lineEnd < 0) return;
      const size = Number.parseInt(this.raw.subarray(0, lineEnd).toString("latin1"), 16);
      if (this.raw.length < lineEnd + 2 + size + 2) return;
      const chunk = this.raw.subarray(lineEnd + 2, lineEnd + 2 + size);
      this.bytesRead += chunk.length;
      this.body = Buffer.concat([this.body, chunk]);
      this.raw = this.raw.subarray(lineEnd + 2 + size + 2);
    }
  }

  /** Complete messages only: a blank line ends each (never inside a UTF-8 character). */
  private readMessages(): void {
    let end = this.body.indexOf("\n\n");
    while (end >= 0) {
      const message = this.body.subarray(0, end).toString("utf8");
      this.body = this.body.subarray(end + 2);
      if (message.startsWith("event: ready\n")) this.ready = true;
      if (message.startsWith("event: events\n")) {
        const data = message.slice(message.indexOf("data: ") + 6);
        for (const event of JSON.parse(data) as { id: string }[]) this.ids.add(event.id);
      }
      end = this.body.indexOf("\n\n");
    }
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
