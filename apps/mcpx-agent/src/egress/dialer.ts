import { lookup } from "node:dns/promises";
import { connect, type Socket } from "node:net";

/**
 * How the proxy reaches the network: name resolution and TCP connects. Tests inject one that
 * refuses anything outside loopback, so no test can ever dial the internet.
 */
export interface Dialer {
  resolve(host: string): Promise<string[]>;
  connect(address: string, port: number): Promise<Socket>;
}

export const systemDialer: Dialer = {
  async resolve(host) {
    const results = await lookup(host, { all: true, verbatim: true });
    return results.map((result) => result.address);
  },
  connect(address, port) {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: address, port });
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(socket);
      });
      socket.once("error", reject);
    });
  },
};

/** A dialer for tests: resolves every name to 127.0.0.1 unless mapped, refuses other addresses. */
export function loopbackOnlyDialer(
  names: Record<string, string> = {},
): Dialer & { attempts: string[] } {
  const attempts: string[] = [];
  return {
    attempts,
    async resolve(host) {
      attempts.push(`resolve ${host}`);
      return [names[host] ?? "127.0.0.1"];
    },
    connect(address, port) {
      attempts.push(`connect ${address}:${port}`);
      if (address !== "127.0.0.1" && address !== "::1") {
        return Promise.reject(
          new Error(`test dialer refuses ${address}: tests never leave loopback`),
        );
      }
      return systemDialer.connect(address, port);
    },
  };
}
