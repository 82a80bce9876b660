import type { ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { type BlockResponse, DEFAULT_BLOCK_RESPONSE } from "@lunar/shared";

/** The flow's GenerateResponse, answered by the proxy itself: nothing reaches the network. */
export function sendGenerated(
  res: ServerResponse,
  response: BlockResponse = DEFAULT_BLOCK_RESPONSE,
): number {
  const body = Buffer.from(response.body);
  res.writeHead(response.status, {
    "content-type": response.contentType,
    "content-length": body.length,
    "x-lunar-blocked": "1",
  });
  res.end(body);
  return body.length;
}

/** The same, written raw on a socket (a refused CONNECT has no ServerResponse). */
export function writeGenerated(
  socket: Duplex,
  response: BlockResponse = DEFAULT_BLOCK_RESPONSE,
): number {
  const body = Buffer.from(response.body);
  socket.end(
    `HTTP/1.1 ${response.status} ${response.status === 403 ? "Forbidden" : "Blocked"}\r\n` +
      `Content-Type: ${response.contentType}\r\nContent-Length: ${body.length}\r\n` +
      "X-Lunar-Blocked: 1\r\nConnection: close\r\n\r\n" +
      body.toString(),
  );
  return body.length;
}

export function writeStatus(socket: Duplex, status: number, message: string): void {
  const body = Buffer.from(message);
  socket.end(
    `HTTP/1.1 ${status} ${message}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${message}`,
  );
}
