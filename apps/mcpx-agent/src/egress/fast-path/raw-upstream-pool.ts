import type { Socket } from "node:net";
import type { Dialer } from "../dialer";

const MAX_IDLE_PER_DESTINATION = 64;
const IDLE_TIMEOUT_MS = 30_000;
const SWEEP_INTERVAL_MS = 5_000;

/** Who is reading an upstream connection while it carries a request. */
export interface UpstreamListener {
  upstreamData(chunk: Buffer): void;
  /** The upstream ended, closed or failed. */
  upstreamEnded(): void;
}

/**
 * One raw upstream connection. Its socket listeners are attached once, when dialled, and pass
 * events to whoever holds it: taking it from the pool and putting it back changes one field
 * (adding and removing listeners per request was a measurable share of a request's allocation).
 * While it rests in the pool, bytes, an end or an error retire it: an idle upstream that speaks
 * is out of step.
 */
export class PooledUpstream {
  listener: UpstreamListener | null = null;
  /** It carried a request before (a stale kept-alive connection may be retried once). */
  reused = false;
  restingSince = 0;

  constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on("data", this.onData);
    socket.on("end", this.onEnded);
    socket.on("close", this.onEnded);
    socket.on("error", this.onError);
  }

  private readonly onData = (chunk: Buffer) => {
    if (this.listener) this.listener.upstreamData(chunk);
    else this.socket.destroy();
  };

  private readonly onEnded = () => {
    if (this.listener) this.listener.upstreamEnded();
    else this.socket.destroy();
  };

  private readonly onError = () => {
    this.onEnded();
    this.socket.destroy();
  };
}

/**
 * Kept-alive plain-HTTP upstream connections for the fast path, per address and port the checks
 * approved, dialled through the context's dialer. A connection is only put back after a response
 * whose end was framed exactly. One sweep closes connections idle too long, so resting costs no
 * timer per connection.
 */
export class RawUpstreamPool {
  /** Rested connections by address, then port (no key string built per request). */
  private readonly idle = new Map<string, Map<number, PooledUpstream[]>>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly dialer: Dialer) {}

  /** A rested connection to the destination, if one is open (no promise: the common case). */
  take(address: string, port: number): PooledUpstream | null {
    const list = this.idle.get(address)?.get(port);
    while (list && list.length > 0) {
      const upstream = list.pop() as PooledUpstream;
      if (!upstream.socket.destroyed && upstream.socket.readyState === "open") {
        upstream.reused = true;
        return upstream;
      }
    }
    return null;
  }

  async dial(address: string, port: number): Promise<PooledUpstream> {
    return new PooledUpstream(await this.dialer.connect(address, port));
  }

  release(address: string, port: number, upstream: PooledUpstream): void {
    upstream.listener = null;
    let ports = this.idle.get(address);
    if (!ports) {
      ports = new Map();
      this.idle.set(address, ports);
    }
    let list = ports.get(port);
    if (!list) {
      list = [];
      ports.set(port, list);
    }
    if (list.length >= MAX_IDLE_PER_DESTINATION || upstream.socket.destroyed) {
      upstream.socket.destroy();
      return;
    }
    upstream.restingSince = Date.now();
    list.push(upstream);
    if (!this.sweeper) {
      this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
      this.sweeper.unref();
    }
  }

  closeAll(): void {
    for (const ports of this.idle.values())
      for (const list of ports.values())
        for (const upstream of list.splice(0)) upstream.socket.destroy();
    this.idle.clear();
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  /** Closes connections idle too long, and forgets closed ones. */
  private sweep(): void {
    const now = Date.now();
    for (const [address, ports] of this.idle) {
      for (const [port, list] of ports) {
        const kept = list.filter((upstream) => {
          if (!upstream.socket.destroyed && now - upstream.restingSince < IDLE_TIMEOUT_MS) {
            return true;
          }
          upstream.socket.destroy();
          return false;
        });
        if (kept.length > 0) ports.set(port, kept);
        else ports.delete(port);
      }
      if (ports.size === 0) this.idle.delete(address);
    }
  }
}
