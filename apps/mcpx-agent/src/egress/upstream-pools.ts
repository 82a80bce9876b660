import {
  createSecureContext,
  rootCertificates,
  type SecureContext,
  connect as tlsConnect,
} from "node:tls";
import type { ParsedTarget } from "@lunar/shared";
import { Pool } from "undici";
import type { EgressContext } from "./egress-context";

/** Destinations kept alive at once; past it the least recently opened pool is closed. */
const MAX_POOLS = 512;

/**
 * Kept-alive upstream connections (undici pools), one pool per destination the checks approved:
 * address, port, scheme and the name its certificate must carry. Every connection is dialled
 * through the context's dialer to exactly that address (never re-resolved), and HTTPS is verified
 * against the system roots plus the explicitly trusted CAs; TLS sessions are resumed.
 */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();
  private readonly secureContexts = new WeakMap<readonly string[], SecureContext>();

  poolFor(context: EgressContext, target: ParsedTarget, address: string, port: number): Pool {
    const key = `${target.scheme}|${address}|${port}|${target.scheme === "https" ? target.host : ""}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = this.createPool(context, target, address, port);
      this.pools.set(key, pool);
      if (this.pools.size > MAX_POOLS) {
        const [oldestKey, oldest] = this.pools.entries().next().value as [string, Pool];
        this.pools.delete(oldestKey);
        void oldest.close().catch(() => undefined);
      }
    }
    return pool;
  }

  async closeAll(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy().catch(() => undefined)));
  }

  private createPool(
    context: EgressContext,
    target: ParsedTarget,
    address: string,
    port: number,
  ): Pool {
    const https = target.scheme === "https";
    const secureContext = https ? this.secureContextFor(context.upstreamCAs) : undefined;
    let session: Buffer | undefined;
    const origin = `${target.scheme}://${address.includes(":") ? `[${address}]` : address}:${port}`;
    return new Pool(origin, {
      connections: 256,
      keepAliveTimeout: 30_000,
      connect: (_options, callback) => {
        context.dialer.connect(address, port).then(
          (socket) => {
            socket.setNoDelay(true);
            if (!https) return callback(null, socket);
            const tls = tlsConnect({
              socket,
              // The certificate must carry the name the flows judged, not the address dialled.
              host: target.host,
              servername: target.hostKind === "domain" ? target.host : undefined,
              secureContext,
              session,
              ALPNProtocols: ["http/1.1"],
            });
            tls.on("session", (ticket: Buffer) => {
              session = ticket;
            });
            tls.once("secureConnect", () => {
              tls.off("error", onError);
              callback(null, tls);
            });
            const onError = (error: Error) => callback(error, null);
            tls.once("error", onError);
          },
          (error: Error) => callback(error, null),
        );
      },
    });
  }

  /** One secure context per set of trusted CAs: parsing ~140 root certificates once, not per dial. */
  private secureContextFor(upstreamCAs: readonly string[]): SecureContext {
    let secureContext = this.secureContexts.get(upstreamCAs);
    if (!secureContext) {
      secureContext = createSecureContext({ ca: [...rootCertificates, ...upstreamCAs] });
      this.secureContexts.set(upstreamCAs, secureContext);
    }
    return secureContext;
  }
}
