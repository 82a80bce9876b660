import { type ServerResponse, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { BlockResponse } from "@lunar/shared";

/**
 * The proxy's own answers: a refusal (`blocked`: the flow's GenerateResponse, marked
 * `X-Lunar-Blocked: 1`; nothing reached the network) or a failure it reports itself (400, 502).
 * Returns the body's bytes.
 */
export function sendGenerated(
  res: ServerResponse,
  response: BlockResponse,
  blocked: boolean,
): number {
  const body = Buffer.from(response.body);
  res.writeHead(response.status, {
    "content-type": response.contentType,
    "content-length": body.length,
    ...(blocked ? { "x-lunar-blocked": "1" } : {}),
  });
  res.end(body);
  return body.length;
}

/** The same, written raw on a socket that is then ended (a CONNECT has no ServerResponse). */
export function writeGenerated(socket: Duplex, response: BlockResponse, blocked: boolean): number {
  const body = Buffer.from(response.body);
  socket.end(
    Buffer.concat([
      Buffer.from(
        `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? "Blocked"}\r\n` +
          `Content-Type: ${response.contentType}\r\nContent-Length: ${body.length}\r\n` +
          `${blocked ? "X-Lunar-Blocked: 1\r\n" : ""}Connection: close\r\n\r\n`,
        "latin1",
      ),
      body,
    ]),
  );
  return body.length;
}

export function badGateway(networkError: string): BlockResponse {
  return { status: 502, body: `Bad gateway: ${networkError}`, contentType: "text/plain" };
}

export function badRequest(message: string): BlockResponse {
  return { status: 400, body: `Bad request target: ${message}`, contentType: "text/plain" };
}
