import type { Socket } from "node:net";
import type { ParsedTarget } from "@lunar/shared";
import type { AllowedVerdict } from "./authorize";
import type { EgressContext } from "./egress-context";
import { badGateway, writeGenerated } from "./generated-response";
import { proxyCall } from "./proxy-call";
import type { CallOutcome } from "./record-http-call";
import { TunnelRelay } from "./tunnel-relay";

export const ESTABLISHED = "HTTP/1.1 200 Connection Established\r\n\r\n";

/** The proxy's open tunnels: closed with it, and the blind ones when the flows change. */
export interface TunnelTracker {
  /** Every tunnel's client socket, inspected or not. */
  all: Set<Socket>;
  /** Tunnels decided once at host level. */
  blind: Set<Socket>;
}

/**
 * A CONNECT whose bytes pass unread (inspection off for the server or host): decided once at
 * host level by `authorize`, then the checked address is dialled and the bytes relayed until
 * either side is done; recorded when the tunnel closes, with the bytes each way.
 */
export function startBlindTunnel(
  context: EgressContext,
  tunnels: TunnelTracker,
  client: Socket,
  target: ParsedTarget,
  head: Buffer,
): Promise<void> {
  const request = { target, method: "CONNECT", server: context.server, tunnel: null };
  return proxyCall(context, request, {
    reply: (response, blocked) => writeGenerated(client, response, blocked),
    forward: (verdict) => relay(context, tunnels, client, head, verdict),
  });
}

async function relay(
  context: EgressContext,
  tunnels: TunnelTracker,
  client: Socket,
  head: Buffer,
  verdict: AllowedVerdict,
): Promise<CallOutcome> {
  let upstream: Socket;
  try {
    upstream = await context.dialer.connect(verdict.address, verdict.port);
  } catch (error) {
    const networkError = (error as NodeJS.ErrnoException).code ?? "connect_failed";
    writeGenerated(client, badGateway(networkError), false);
    return { status: null, bytesIn: 0, bytesOut: 0, networkError };
  }
  // Relayed TLS records must not wait for Nagle (with the peer's delayed ACK, up to 40 ms).
  upstream.setNoDelay(true);
  tunnels.blind.add(client);
  return new Promise((resolve) => {
    const tunnel = new TunnelRelay(client, (closed) => {
      tunnels.blind.delete(client);
      resolve({
        status: 200,
        bytesIn: closed.bytesIn,
        bytesOut: closed.bytesOut,
        networkError: null,
      });
    });
    tunnel.start(upstream, head, ESTABLISHED);
  });
}
