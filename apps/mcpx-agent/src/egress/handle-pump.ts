import {
  type StreamHandle,
  type StreamHandleBindings,
  UV_EOF,
  type WriteRequest,
} from "./stream-handles";

export interface PumpEvents {
  /** The source sent FIN; everything read before it has been passed on (or is queued). */
  onEnd(): void;
  /** A read or write failed (reset, broken pipe): the tunnel is over. */
  onError(code: number): void;
}

/**
 * Moves bytes one way from one stream handle to another: each read lands in the pump's own
 * buffer and is written straight on, with no allocation but the write request. A write the
 * destination cannot take at once stays queued (libuv keeps writes in order) and reading stops
 * until it is out, so the buffer is never overwritten while a write still needs it and a slow
 * destination holds at most one buffer here: backpressure.
 */
export class HandlePump {
  /** Bytes the pump read and passed on (not those given to `write`). */
  bytes = 0;
  private state: "pumping" | "stopped" | "discarding" = "pumping";
  private started = false;
  private onDiscardEnd: (result: number) => void = () => {};
  private readonly buffer: Uint8Array;

  constructor(
    private readonly bindings: StreamHandleBindings,
    private readonly from: StreamHandle,
    private readonly to: StreamHandle,
    bufferBytes: number,
    private readonly events: PumpEvents,
  ) {
    this.buffer = new Uint8Array(bufferBytes);
  }

  /** Takes over the source's reads from whatever read it before. */
  start(): void {
    if (!this.started) {
      this.started = true;
      this.from.useUserBuffer(this.buffer);
      this.from.onread = () => this.onRead();
    }
    this.from.readStart();
  }

  /** Passes on bytes that were read before the pump started (they come first). */
  write(data: Uint8Array): void {
    if (data.length > 0) this.send(data, false);
  }

  /** No more reads; queued writes still go out unless the handles are closed. */
  stop(): void {
    if (this.state !== "pumping") return;
    this.state = "stopped";
    this.from.readStop();
  }

  /**
   * Reads on and drops what the source sends until it ends or fails, then calls `onEnd`. For a
   * socket still being flushed: closing one with unread bytes resets it, and a reset throws away
   * whatever it had not yet sent. `onEnd` gets `UV_EOF` or the error.
   */
  discard(onEnd: (result: number) => void): void {
    this.state = "discarding";
    this.onDiscardEnd = onEnd;
    this.start();
  }

  /** Called when a queued write has gone out (or failed). */
  afterWrite(request: WriteRequest, status: number): void {
    request.buffer = null;
    if (this.state !== "pumping") return;
    if (status < 0) {
      this.stop();
      this.events.onError(status);
      return;
    }
    if (request.fromReadBuffer) this.from.readStart();
  }

  private onRead(): void {
    const { state, readBytesOrError } = this.bindings;
    const result = state[readBytesOrError] as number;
    if (this.state === "discarding") {
      if (result < 0) this.onDiscardEnd(result);
      return;
    }
    if (this.state === "stopped") return;
    if (result > 0) {
      this.bytes += result;
      this.send(this.buffer.subarray(0, result), true);
    } else if (result === UV_EOF) {
      this.stop();
      this.events.onEnd();
    } else if (result < 0) {
      this.stop();
      this.events.onError(result);
    }
  }

  private send(data: Uint8Array, fromReadBuffer: boolean): void {
    const request = this.bindings.newWriteRequest();
    request.handle = this.to;
    request.oncomplete = onWriteComplete;
    request.async = false;
    request.buffer = null;
    request.fromReadBuffer = fromReadBuffer;
    request.owner = this;
    const error = this.to.writeBuffer(request, data);
    // Anything but 0 (a libuv error, or nothing from a handle already closed) ends the tunnel.
    if (error !== 0) {
      this.stop();
      this.events.onError(error);
      return;
    }
    if (this.bindings.state[this.bindings.lastWriteWasAsync] !== 0) {
      request.buffer = data;
      if (fromReadBuffer) this.from.readStop();
    }
  }
}

// One function for every write request (not a closure per write).
function onWriteComplete(this: WriteRequest, status: number): void {
  (this.owner as HandlePump).afterWrite(this, status);
}
