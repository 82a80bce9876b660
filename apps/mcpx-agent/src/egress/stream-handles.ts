import type { Socket } from "node:net";
import { TLSSocket } from "node:tls";

/**
 * The libuv stream handle under a `net.Socket`, as Node's own `net` module drives it. A blind
 * tunnel moves its bytes between two of these directly (`handle-pump.ts`): Node's stream layer
 * per chunk (a Buffer, a `data` event, Writable state, a deferred callback) cost about a fifth
 * of the proxy's CPU per relayed request and put it above squid's (docs/BENCHMARKS.md).
 *
 * These are Node internals (`process.binding("stream_wrap")`, deprecated but kept for
 * compatibility, DEP0111), so everything is checked here once and, if anything is missing or
 * different, `streamHandles` is null and tunnels use the stream relay instead.
 */
export interface StreamHandle {
  /** Called by Node after every read; the read's size or error is in `state`. */
  onread: () => void;
  readStart(): number;
  readStop(): number;
  /** Reads go into `buffer` (from offset 0) instead of a new allocation per read. */
  useUserBuffer(buffer: Uint8Array): void;
  /** 0 or a negative libuv error; `state[lastWriteWasAsync]` says whether it is still queued. */
  writeBuffer(request: WriteRequest, data: Uint8Array): number;
  /** Sends FIN once every queued write is out. */
  shutdown(request: ShutdownRequest): number;
}

export interface WriteRequest {
  handle: StreamHandle;
  oncomplete: (this: WriteRequest, status: number) => void;
  async: boolean;
  /** Kept alive while the write is queued. */
  buffer: Uint8Array | null;
  /** Whether the data is the pump's read buffer (reads wait for it). */
  fromReadBuffer: boolean;
  owner: unknown;
}

export interface ShutdownRequest {
  handle: StreamHandle;
  oncomplete: (this: ShutdownRequest, status: number) => void;
}

export interface StreamHandleBindings {
  newWriteRequest(): WriteRequest;
  newShutdownRequest(): ShutdownRequest;
  /** Shared with Node: `state[readBytesOrError]` etc. */
  state: Int32Array;
  readBytesOrError: number;
  lastWriteWasAsync: number;
}

/** libuv's end of stream. */
export const UV_EOF = -4095;

interface RawBindings {
  WriteWrap: new () => WriteRequest;
  ShutdownWrap: new () => ShutdownRequest;
  streamBaseState: Int32Array;
  kReadBytesOrError: number;
  kLastWriteWasAsync: number;
}

function loadBindings(): StreamHandleBindings | null {
  try {
    const binding = (process as unknown as { binding(name: string): unknown }).binding;
    const raw = binding("stream_wrap") as Partial<RawBindings>;
    const { WriteWrap, ShutdownWrap, streamBaseState, kReadBytesOrError, kLastWriteWasAsync } = raw;
    if (
      typeof WriteWrap !== "function" ||
      typeof ShutdownWrap !== "function" ||
      !(streamBaseState instanceof Int32Array) ||
      typeof kReadBytesOrError !== "number" ||
      typeof kLastWriteWasAsync !== "number"
    ) {
      return null;
    }
    return {
      newWriteRequest: () => new WriteWrap(),
      newShutdownRequest: () => new ShutdownWrap(),
      state: streamBaseState,
      readBytesOrError: kReadBytesOrError,
      lastWriteWasAsync: kLastWriteWasAsync,
    };
  } catch {
    // process.binding gone, or --pending-deprecation with --throw-deprecation.
    return null;
  }
}

export const streamHandles: StreamHandleBindings | null = loadBindings();

/** The socket's handle if it is one a pump can drive (TCP or pipe; not TLS, not a JS stream). */
export function streamHandleOf(socket: Socket): StreamHandle | null {
  const handle = (socket as unknown as { _handle?: Partial<StreamHandle> | null })._handle;
  if (!handle || socket.destroyed || socket instanceof TLSSocket) return null;
  const drivable =
    typeof handle.readStart === "function" &&
    typeof handle.readStop === "function" &&
    typeof handle.useUserBuffer === "function" &&
    typeof handle.writeBuffer === "function" &&
    typeof handle.shutdown === "function" &&
    "onread" in handle;
  return drivable ? (handle as StreamHandle) : null;
}
