import type { Socket } from "node:net";
import type { Dialer } from "../dialer";

const MAX_IDLE_PER_DESTINATION = 64;
const IDLE_TIMEOUT_MS = 30_000;

/**
 * Kept-alive plain-HTTP upstream connections for the fast path, per address and port the checks
 * approved, dialled through the context's dialer. A connection is only put back after a response
 * whose end was framed exactly; one closed or in error while idle is dropped.
 */
export class RawUpstreamPool {
  private readonly idle = new Map<string, Socket[]>();

  constructor(private readonly dialer: Dialer) {}

  async acquire(address: string, port: number): Promise<{ socket: Socket; reused: boolean }> {
    const list = this.idle.get(`${address}|${port}`);
    while (list && list.length > 0) {
      const socket = list.pop() as Socket;
      for (const event of ["data", "close", "error", "timeout"]) socket.removeAllListeners(event);
      socket.setTimeout(0);
      if (!socket.destroyed && socket.readyState === "open") return { socket, reused: true };
    }
    const socket = await this.dialer.connect(address, port);
    socket.setNoDelay(true);
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
    const drop = () => {
      socket.destroy();
      const index = list.indexOf(socket);
      if (index >= 0) list.splice(index, 1);
    };
    // Bytes from an idle upstream are not an answer to anything: the connection is not reused.
    socket.once("data", drop);
    socket.once("close", drop);
    socket.once("error", drop);
    socket.setTimeout(IDLE_TIMEOUT_MS, drop);
    list.push(socket);
  }

  closeAll(): void {
    for (const list of this.idle.values()) for (const socket of list.splice(0)) socket.destroy();
    this.idle.clear();
  }
}
