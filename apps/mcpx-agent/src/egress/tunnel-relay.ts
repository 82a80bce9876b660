import type { Socket } from "node:net";
import { HandlePump } from "./handle-pump";
import {
  type StreamHandle,
  type StreamHandleBindings,
  streamHandleOf,
  streamHandles,
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
  private pumps: { toClient: HandlePump; toUpstream: HandlePump; client: StreamHandle } | null =
    null;
  /** Bytes moved by the stream relay, or before the pumps started. */
  private streamedIn = 0;
  private streamedOut = 0;

  constructor(
    private readonly client: Socket,
    private readonly onClosed: (relay: TunnelRelay) => void,
    options: TunnelRelayOptions = {},
  ) {
    this.handles = options.handles === undefined ? streamHandles : options.handles;
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
    this.mode = this.handles && clientHandle && upstreamHandle ? "handles" : "streams";
    if (this.handles && clientHandle && upstreamHandle) {
      this.startPumps(this.handles, clientHandle, upstreamHandle, head, established);
    } else {
      this.startStreams(upstream, head, established);
    }
  }

  /** Closes both sides at once (flows changed, or one side failed or closed). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pumps?.toClient.stop();
    this.pumps?.toUpstream.stop();
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
    this.pumps = { toClient, toUpstream, client: clientHandle };
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
    client.on("end", () => this.passClientEnd());
    toClient.start();
    toUpstream.start();
  }

  /** The client is done sending: FIN to the upstream once its queued bytes are out. */
  private passClientEnd(): void {
    if (this.clientEnded || this.closed) return;
    this.clientEnded = true;
    const handles = this.handles;
    const upstreamHandle = this.upstream ? streamHandleOf(this.upstream) : null;
    if (this.pumps && handles && upstreamHandle) {
      this.pumps.toUpstream.stop();
      const request = handles.newShutdownRequest();
      request.handle = upstreamHandle;
      request.oncomplete = noop;
      if (upstreamHandle.shutdown(request) < 0) this.close();
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
    client.on("end", () => this.passClientEnd());
    upstream.on("drain", () => client.resume());
    client.on("drain", () => upstream.resume());
  }

  private streamToUpstream(chunk: Buffer): void {
    this.streamedOut += chunk.length;
    if (!this.upstream?.write(chunk)) this.client.pause();
  }

  private flushAndCloseClient(): void {
    const client = this.client;
    const queued = this.pumps ? this.pumps.toClient.queuedWrites > 0 : client.writableLength > 0;
    if (!queued || client.destroyed) {
      client.destroy();
      return;
    }
    // A client that stops reading does not keep the socket forever.
    const timer = setTimeout(() => client.destroy(), FLUSH_IDLE_MS);
    timer.unref();
    client.once("close", () => clearTimeout(timer));
    if (this.pumps && this.handles) {
      // FIN after the queued writes, then close.
      const request = this.handles.newShutdownRequest();
      request.handle = this.pumps.client;
      request.oncomplete = () => client.destroy();
      if (this.pumps.client.shutdown(request) < 0) client.destroy();
    } else {
      client.end(() => client.destroy());
    }
  }
}

function noop(): void {}
