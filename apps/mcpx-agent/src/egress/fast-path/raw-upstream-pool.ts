import type { Socket } from "node:net";
import type { Dialer } from "../dialer";

const MAX_IDLE_PER_DESTINATION = 64;
const IDLE_TIMEOUT_MS = 30_000;
const SWEEP_INTERVAL_MS = 5_000;

interface Idle {
  socket: Socket;
  since: number;
}

/**
 * Kept-alive plain-HTTP upstream connections for the fast path, per address and port the checks
 * approved, dialled through the context's dialer. A connection is only put back after a response
 * whose end was framed exactly. Each socket gets its guard listeners once, when dialled, and one
 * sweep closes connections idle too long: putting a connection back and taking it again costs
 * no listener or timer changes (they were a measurable share of a request's time).
 */
export class RawUpstreamPool {
  private readonly idle = new Map<string, Idle[]>();
  /** Sockets that are idle in the pool: bytes, an error or a close there retire them. */
  private readonly resting = new WeakSet<Socket>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly dialer: Dialer) {}

  async acquire(address: string, port: number): Promise<{ socket: Socket; reused: boolean }> {
    const list = this.idle.get(`${address}|${port}`);
    while (list && list.length > 0) {
      const { socket } = list.pop() as Idle;
      this.resting.delete(socket);
      if (!socket.destroyed && socket.readyState === "open") return { socket, reused: true };
    }
    const socket = await this.dialer.connect(address, port);
    socket.setNoDelay(true);
    const retire = () => {
      if (this.resting.has(socket)) socket.destroy();
    };
    // Bytes from an idle upstream answer nothing: such a connection is out of step.
    socket.on("data", retire);
    socket.on("end", retire);
    socket.on("error", () => socket.destroy());
    return { socket, reused: false };
  }

  release(address: string, port: number, socket: Socket): void {
    const key = `${address}|${port}`;
    let list = this.idle.get(key);
    if (!list) {
      list = [];
      this.idle.set(key, list);
    }
    if (list.length >= MAX_IDLE_PER_DESTINATION || socket.destroyed) {
      socket.destroy();
      return;
    }
    this.resting.add(socket);
    list.push({ socket, since: Date.now() });
    if (!this.sweeper) {
      this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
      this.sweeper.unref();
    }
  }

  closeAll(): void {
    for (const list of this.idle.values())
      for (const { socket } of list.splice(0)) socket.destroy();
    this.idle.clear();
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  /** Closes connections idle too long, and forgets closed ones. */
  private sweep(): void {
    const now = Date.now();
    for (const [key, list] of this.idle) {
      const kept = list.filter(({ socket, since }) => {
        if (!socket.destroyed && now - since < IDLE_TIMEOUT_MS) return true;
        socket.destroy();
        return false;
      });
      if (kept.length > 0) this.idle.set(key, kept);
      else this.idle.delete(key);
    }
  }
}
