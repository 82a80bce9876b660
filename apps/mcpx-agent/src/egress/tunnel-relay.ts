import type { OnReadOpts, Socket } from "node:net";

const READ_BUFFER_BYTES = 64 * 1024;
const FLUSH_IDLE_MS = 30_000;

/**
 * The bytes of a blind CONNECT tunnel, both ways, counted, with backpressure each way. Either
 * side's end is passed on; when either side closes or fails, both close, but what the client was
 * already sent still reaches it first (a tunnel's last bytes are often all of a download's end).
 *
 * The upstream side reads into one reused buffer (`onread`, given when dialling): no Buffer or
 * backing store per read, about 40% less garbage per relayed request (docs/BENCHMARKS.md). The
 * buffer goes back to the next read only if the client's socket took the last write whole; a
 * write still queued keeps its buffer and the next read gets a fresh one.
 */
export class TunnelRelay {
  /** Bytes from the upstream to the client. */
  bytesIn = 0;
  /** Bytes from the client to the upstream. */
  bytesOut = 0;
  private upstream: Socket | null = null;
  private closed = false;
  private buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);

  /** For the upstream's `net.connect` options. */
  readonly onread: OnReadOpts = {
    buffer: () => this.buffer,
    callback: (length, buffer) => this.toClientFromBuffer(length, buffer),
  };

  constructor(
    private readonly client: Socket,
    private readonly onClosed: (relay: TunnelRelay) => void,
  ) {}

  /** Starts relaying once the upstream is connected; `head` is what the client sent early. */
  start(upstream: Socket, head: Buffer): void {
    this.upstream = upstream;
    const client = this.client;
    // The client may have gone while the upstream was dialled.
    if (client.destroyed) {
      this.close();
      return;
    }
    if (head.length > 0) this.toUpstream(head);
    client.on("data", (chunk: Buffer) => this.toUpstream(chunk));
    client.on("end", () => upstream.end());
    upstream.on("end", () => client.end());
    upstream.on("drain", () => client.resume());
    client.on("drain", () => upstream.resume());
    for (const socket of [client, upstream]) {
      socket.on("error", () => this.close());
      socket.on("close", () => this.close());
    }
  }

  /** Closes both sides at once (flows changed, or one side failed or closed). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.upstream?.destroy();
    // What the client was sent before the upstream closed still reaches it.
    if (this.client.writableLength > 0 && !this.client.destroyed) {
      this.client.end(() => this.client.destroy());
      // A client that stops reading does not keep the socket forever.
      this.client.setTimeout(FLUSH_IDLE_MS, () => this.client.destroy());
    } else {
      this.client.destroy();
    }
    this.onClosed(this);
  }

  /** Returning false pauses the upstream's reads until the client drains. */
  private toClientFromBuffer(length: number, buffer: Uint8Array): boolean {
    this.bytesIn += length;
    const flowing = this.client.write(buffer.subarray(0, length));
    if (this.client.writableLength > 0) this.buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    return flowing;
  }

  private toUpstream(chunk: Buffer): void {
    this.bytesOut += chunk.length;
    if (!this.upstream?.write(chunk)) this.client.pause();
  }
}
