import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** /healthz: the process is up. /readyz: it can reach Postgres, so it can take traffic. */
export function createHealthHandler(pool: pg.Pool) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.url === "/healthz") {
      sendJson(res, 200, { status: "ok" });
      return true;
    }
    if (req.url === "/readyz") {
      try {
        await pool.query("SELECT 1");
        sendJson(res, 200, { status: "ready" });
      } catch {
        sendJson(res, 503, { status: "unavailable", detail: "Postgres is not reachable" });
      }
      return true;
    }
    return false;
  };
}
