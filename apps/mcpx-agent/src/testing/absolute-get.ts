import { request } from "node:http";

export interface ProxiedResponse {
  status: number;
  body: string;
  /** Whether the whole response arrived (false: the connection ended before its end). */
  complete: boolean;
}

/**
 * A plain-HTTP GET through a proxy, as HTTP client libraries send it (absolute-form target);
 * resolves once the response is over, with its body decoded (chunked or not).
 */
export function absoluteGet(proxyPort: number | string, url: string): Promise<ProxiedResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: proxyPort, path: url }, (res) => {
      let body = "";
      res.setEncoding("latin1");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("close", () => resolve({ status: res.statusCode ?? 0, body, complete: res.complete }));
    });
    req.on("error", reject);
    req.end();
  });
}
