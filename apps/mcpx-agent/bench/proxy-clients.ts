import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { ProxyAgent, Agent as UndiciAgent, request as undiciRequest } from "undici";

/** Plain HTTP: absolute-form through a proxy, origin-form direct; one keep-alive pool each. */
export function plainVia(proxyPort: number | null, upstreamPort: number, connections: number) {
  const agent = new HttpAgent({ keepAlive: true, maxSockets: connections });
  return () =>
    new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        proxyPort === null
          ? { host: "127.0.0.1", port: upstreamPort, path: "/", agent }
          : {
              host: "127.0.0.1",
              port: proxyPort,
              path: `http://127.0.0.1:${upstreamPort}/`,
              agent,
              headers: { host: `127.0.0.1:${upstreamPort}` },
            },
        (res) => {
          res.resume();
          res.on("end", () =>
            res.statusCode === 200 ? resolve() : reject(new Error(String(res.statusCode))),
          );
        },
      );
      req.on("error", reject);
      req.end();
    });
}

/** HTTPS: TLS to the upstream, directly or inside a CONNECT tunnel (undici keeps tunnels alive). */
export function tlsVia(
  proxyPort: number | null,
  upstreamPort: number,
  trust: string[],
  connections: number,
) {
  const dispatcher =
    proxyPort === null
      ? new UndiciAgent({ connect: { ca: trust }, connections })
      : new ProxyAgent({
          uri: `http://127.0.0.1:${proxyPort}`,
          requestTls: { ca: trust },
          connections,
        });
  return async () => {
    const response = await undiciRequest(`https://127.0.0.1:${upstreamPort}/`, { dispatcher });
    await response.body.text();
    if (response.statusCode !== 200) throw new Error(String(response.statusCode));
  };
}
