import type { Socket } from "node:net";
import { HandlePump } from "./handle-pump";
import {
  type StreamHandle,
  type StreamHandleBindings,
  streamHandleOf,
  streamHandles,
  UV_EOF,
} from "./stream-handles";

/** Responses and downloads: one read of this size per turn at most. */
const DOWNSTREAM_BUFFER_BYTES = 64 * 1024;
/** Requests are mostly small; a TLS record is at most ~16 KiB. */
const UPSTREAM_BUFFER_BYTES = 16 * 1024;
const FLUSH_IDLE_MS = 30_000;

export interface TunnelRelayOptions {
  /** Null forces the stream relay (tests of the fallback). */
  handles?: StreamHandleBindings | null;
}

/**
 * The bytes of a blind CONNECT tunnel, both ways, counted, with backpressure each way. The
 * client's half-close is passed on; when the upstream ends, fails or closes, or the client fails
 * or closes, both close, but what the client was already sent still reaches it first (a tunnel's
 * last bytes are often all of a download's end).
 *
 * The bytes go handle to handle (`HandlePump`), bypassing Node's stream layer, which made relaying
 * cost more CPU than squid (docs/BENCHMARKS.md); where the handles cannot be driven that way
 * (`stream-handles.ts`), the same relay runs on the sockets' streams.
 */
export class TunnelRelay {
  /** How the bytes move, once started: handle to handle, or through the sockets' streams. */
  mode: "handles" | "streams" | null = null;
  private upstream: Socket | null = null;
  private closed = false;
  private clientEnded = false;
  private readonly handles: StreamHandleBindings | null;
  private pumps: {
    handles: StreamHandleBindings;
    toClient: HandlePump;
    toUpstream: HandlePump;
    client: StreamHandle;
    upstream: StreamHandle;
  } | null = null;
  /** Bytes moved by the stream relay, or before the pumps started. */
  private streamedIn = 0;
  private streamedOut = 0;

  constructor(
    private readonly client: Socket,
    private readonly onClosed: (relay: TunnelRelay) => void,
    options: TunnelRelayOptions = {},
  ) {
    this.handles = options.handles === undefined ? streamHandles : options.handles;
    // The client may half-close (send its end, then read the answer): the proxy's listening
    // socket does not allow that by default, and would end the client's side at once.
    client.allowHalfOpen = true;
    client.on("end", () => this.passClientEnd());
  }

  /** Bytes from the upstream to the client. */
  get bytesIn(): number {
    return this.streamedIn + (this.pumps?.toClient.bytes ?? 0);
  }

  /** Bytes from the client to the upstream. */
  get bytesOut(): number {
    return this.streamedOut + (this.pumps?.toUpstream.bytes ?? 0);
  }

  /**
   * Answers the client with `established`, then relays; `head` is what the client sent with its
   * CONNECT. The upstream must be connected.
   */
  start(upstream: Socket, head: Buffer, established: string): void {
    this.upstream = upstream;
    const client = this.client;
    // The client may have gone while the upstream was dialled.
    if (client.destroyed) {
      this.close();
      return;
    }
    for (const socket of [client, upstream]) {
      socket.on("error", () => this.close());
      socket.on("close", () => this.close());
    }
    upstream.on("end", () => this.close());
    const clientHandle = streamHandleOf(client);
    const upstreamHandle = streamHandleOf(upstream);
    // Bytes still queued in a socket's stream would be overtaken by the pumps' writes.
    const idle = client.writableLength === 0 && upstream.writableLength === 0;
    if (this.handles && clientHandle && upstreamHandle && idle) {
      this.mode = "handles";
      this.startPumps(this.handles, clientHandle, upstreamHandle, head, established);
    } else {
      this.mode = "streams";
      this.startStreams(upstream, head, established);
    }
    if (this.clientEnded && !this.closed) this.endUpstream();
  }

  /** Closes both sides at once (flows changed, or one side failed or closed). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pumps?.toClient.stop();
    this.upstream?.destroy();
    this.flushAndCloseClient();
    this.onClosed(this);
  }

  private startPumps(
    handles: StreamHandleBindings,
    clientHandle: StreamHandle,
    upstreamHandle: StreamHandle,
    head: Buffer,
    established: string,
  ): void {
    const client = this.client;
    const upstream = this.upstream as Socket;
    const toClient = new HandlePump(
      handles,
      upstreamHandle,
      clientHandle,
      DOWNSTREAM_BUFFER_BYTES,
      {
        onEnd: () => this.close(),
        onError: () => this.close(),
      },
    );
    const toUpstream = new HandlePump(
      handles,
      clientHandle,
      upstreamHandle,
      UPSTREAM_BUFFER_BYTES,
      {
        onEnd: () => this.passClientEnd(),
        onError: () => this.close(),
      },
    );
    this.pumps = { handles, toClient, toUpstream, client: clientHandle, upstream: upstreamHandle };
    toClient.write(Buffer.from(established, "latin1"));
    // What the sockets read before the pumps took over comes first: an upstream that speaks
    // first, a client that did not wait for the 200. An end read then arrives as "end".
    for (let chunk = upstream.read(); chunk !== null; chunk = upstream.read()) {
      this.streamedIn += chunk.length;
      toClient.write(chunk);
    }
    this.streamedOut += head.length;
    toUpstream.write(head);
    for (let chunk = client.read(); chunk !== null; chunk = client.read()) {
      this.streamedOut += chunk.length;
      toUpstream.write(chunk);
    }
    // A write above may have failed and closed the tunnel.
    if (this.closed) return;
    toClient.start();
    toUpstream.start();
  }

  /** The client is done sending; passed on once the upstream is there. */
  private passClientEnd(): void {
    if (this.clientEnded || this.closed) return;
    this.clientEnded = true;
    if (this.mode !== null) this.endUpstream();
  }

  /** FIN to the upstream once its queued bytes are out. */
  private endUpstream(): void {
    if (this.pumps) {
      this.pumps.toUpstream.stop();
      if (!sendFin(this.pumps.handles, this.pumps.upstream, noop)) this.close();
    } else {
      this.upstream?.end();
    }
  }

  private startStreams(upstream: Socket, head: Buffer, established: string): void {
    const client = this.client;
    client.write(established);
    if (head.length > 0) this.streamToUpstream(head);
    client.on("data", (chunk: Buffer) => this.streamToUpstream(chunk));
    upstream.on("data", (chunk: Buffer) => {
      this.streamedIn += chunk.length;
      if (!client.write(chunk)) upstream.pause();
    });
    upstream.on("drain", () => client.resume());
    client.on("drain", () => upstream.resume());
  }

  private streamToUpstream(chunk: Buffer): void {
    // Once closed, what the client sends is read and dropped (see flushAndCloseClient).
    if (this.closed) return;
    this.streamedOut += chunk.length;
    if (!this.upstream?.write(chunk)) this.client.pause();
  }

  /**
   * Ends the client's side after what it was sent, and closes it once the client has ended too
   * (or failed), or after FLUSH_IDLE_MS. Until then the client is read and what it sends is
   * dropped: closing a socket with unread bytes resets it, and a reset throws away whatever the
   * kernel had not yet delivered, often the end of a download.
   */
  private flushAndCloseClient(): void {
    const client = this.client;
    if (client.destroyed) return;
    // A client that stops reading does not keep the socket forever.
    const timer = setTimeout(() => client.destroy(), FLUSH_IDLE_MS);
    timer.unref();
    client.once("close", () => clearTimeout(timer));
    const pumps = this.pumps;
    if (pumps) {
      let flushed = false;
      let clientDone = false;
      pumps.toUpstream.discard((result) => {
        clientDone = true;
        if (flushed || result !== UV_EOF) client.destroy();
      });
      const sent = sendFin(pumps.handles, pumps.client, (status) => {
        flushed = true;
        if (clientDone || status !== 0) client.destroy();
      });
      if (!sent) client.destroy();
    } else {
      // Both sides ended: the socket closes itself (autoDestroy).
      client.resume();
      client.end();
    }
  }
}

/** FIN on `handle` once its queued writes are out; false if it cannot be sent. */
function sendFin(
  handles: StreamHandleBindings,
  handle: StreamHandle,
  oncomplete: (status: number) => void,
): boolean {
  const request = handles.newShutdownRequest();
  request.handle = handle;
  request.oncomplete = oncomplete;
  return handle.shutdown(request) === 0;
}

function noop(): void {}
