import { Agent, request } from "node:http";

export interface RawRequest {
  method: string;
  /** Sent exactly as given (already percent-encoded, possibly badly on purpose). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

// A connection per request: a kept-alive socket the server closes while idle (5 s) races the
// next request on it, and the client's "socket hang up" would read as the server's fault.
const agent = new Agent({ keepAlive: false });

/**
 * One request over node:http, which sends the path and body byte for byte (a browser API or
 * Playwright's client would normalise the URL first). An event stream is closed once its head
 * is in: it would not end by itself.
 */
export function sendRaw(port: number, raw: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        agent,
        method: raw.method,
        path: raw.path,
        headers: { ...raw.headers, "content-length": String(raw.body?.length ?? 0) },
        timeout: timeoutMs,
        // A redirect may echo a long URL back in Location; the client's 16 KiB default is not
        // what is being tested.
        maxHeaderSize: 256 * 1024,
      },
      (res) => {
        const head = { status: res.statusCode ?? 0, headers: res.headers };
        if (String(res.headers["content-type"]).startsWith("text/event-stream")) {
          res.destroy();
          return resolve({ ...head, body: "" });
        }
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ ...head, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(raw.body);
  });
}

export function closeRawConnections(): void {
  agent.destroy();
}
