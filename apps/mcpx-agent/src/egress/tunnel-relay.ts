import type { Socket } from "node:net";

/** How long a closed tunnel's client may take to read the last bytes and end its side. */
const FLUSH_IDLE_MS = 30_000;

function drop(): void {}

/**
 * The bytes of a blind CONNECT tunnel, both ways, with `pipe` (backpressure each way). The
 * client's half-close is passed on: the upstream gets its FIN after the client's last bytes, and
 * the tunnel stays open for the answer. When the upstream ends, fails or closes, or the client
 * fails or closes, the tunnel closes, but what the client was already sent still reaches it
 * first (a tunnel's last bytes are often all of a download's end): the client gets a FIN after
 * them, and is read, its bytes dropped, until it ends too, since closing a socket with unread
 * bytes resets it, and a reset throws away whatever the kernel had not delivered yet.
 *
 * Bytes are counted by the upstream socket itself: all it reads goes to the client, and all that
 * is written to it came from the client.
 */
export class TunnelRelay {
  private upstream: Socket | null = null;
  private closed = false;

  constructor(
    private readonly client: Socket,
    private readonly onClosed: (relay: TunnelRelay) => void,
  ) {
    // The client may half-close (send its end, then read the answer): a listening socket without
    // allowHalfOpen would end the client's side at once.
    client.allowHalfOpen = true;
  }

  /** Bytes from the upstream to the client. */
  get bytesIn(): number {
    return this.upstream?.bytesRead ?? 0;
  }

  /** Bytes from the client to the upstream (`head` included). */
  get bytesOut(): number {
    return this.upstream?.bytesWritten ?? 0;
  }

  /**
   * Answers the client with `established`, then relays; `head` is what the client sent with its
   * CONNECT. The upstream must be connected. What either socket read before (an upstream that
   * speaks first, a client that did not wait for the 200) is passed on first.
   */
  start(upstream: Socket, head: Buffer, established: string): void {
    this.upstream = upstream;
    const client = this.client;
    for (const socket of [client, upstream]) {
      socket.on("error", () => this.close());
      socket.on("close", () => this.close());
    }
    upstream.on("end", () => this.close());
    // The client may have gone while the upstream was dialled.
    if (client.destroyed) {
      this.close();
      return;
    }
    client.write(established);
    if (head.length > 0) upstream.write(head);
    // The client's end, once its bytes are written, is passed on (half-close); the upstream's
    // closes the tunnel (close() ends the client after what it was sent).
    client.pipe(upstream);
    upstream.pipe(client, { end: false });
    // An upstream end already read and emitted (nothing else reads the upstream before this).
    if (upstream.readableEnded) this.close();
  }

  /** Closes both sides (flows changed, or one side ended, failed or closed). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const upstream = this.upstream;
    if (upstream) {
      this.client.unpipe(upstream);
      upstream.unpipe(this.client);
      upstream.destroy();
    }
    this.flushAndCloseClient();
    this.onClosed(this);
  }

  /**
   * Ends the client's side after what it was sent, and lets it close once the client has ended
   * too (both sides ended: the socket destroys itself), or failed, or after FLUSH_IDLE_MS. Until
   * then the client is read and what it sends is dropped.
   */
  private flushAndCloseClient(): void {
    const client = this.client;
    if (client.destroyed) return;
    const timer = setTimeout(() => client.destroy(), FLUSH_IDLE_MS);
    timer.unref();
    client.once("close", () => clearTimeout(timer));
    client.on("data", drop);
    client.resume();
    client.end();
  }
}
