import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type Db, verifyApiKey } from "@lunar/db";

export interface AuthenticatedAgent {
  keyId: string;
  orgId: string;
}

/** The API key from `Authorization: Bearer …` or `x-lunar-api-key`. */
export function apiKeyFrom(request: IncomingMessage): string | null {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match?.[1] ?? null;
  }
  const header = request.headers["x-lunar-api-key"];
  return typeof header === "string" ? header : null;
}

/** Checks the key before any WebSocket exists; a refusal is a plain HTTP 401. */
export async function authenticateUpgrade(
  db: Db,
  request: IncomingMessage,
): Promise<AuthenticatedAgent | string> {
  const key = apiKeyFrom(request);
  if (!key) return "Missing API key: send Authorization: Bearer <key>";
  const result = await verifyApiKey(db, key);
  if (result.ok) return { keyId: result.keyId, orgId: result.orgId };
  const reasons = {
    malformed: "The API key is malformed (check for a typo)",
    unknown: "Unknown API key",
    revoked: "This API key was revoked",
  } as const;
  return reasons[result.reason];
}

export function refuseUpgrade(socket: Duplex, status: 401 | 404 | 503, detail: string): void {
  const titles = { 401: "Unauthorized", 404: "Not Found", 503: "Service Unavailable" } as const;
  const body = JSON.stringify({ title: titles[status], status, detail, code: `http_${status}` });
  socket.end(
    `HTTP/1.1 ${status} ${titles[status]}\r\n` +
      "Content-Type: application/problem+json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Connection: close\r\n\r\n" +
      body,
  );
}
