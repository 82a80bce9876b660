import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import type pino from "pino";
import type { TGatewayEnv } from "./env";
import { createHealthHandler } from "./http/health-routes";

export interface RunningGateway {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function startGateway(env: TGatewayEnv, log: pino.Logger): Promise<RunningGateway> {
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 10 });
  pool.on("error", (error) => log.warn({ err: error }, "idle Postgres connection failed"));
  const health = createHealthHandler(pool);
  const server = createServer(async (req, res) => {
    if (await health(req, res)) return;
    res.writeHead(404, { "content-type": "application/problem+json" });
    res.end(JSON.stringify({ title: "Not found", status: 404, code: "not_found" }));
  });
  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOST, resolve));
  const { port } = server.address() as AddressInfo;
  log.info({ host: env.HOST, port }, "gateway listening");
  return {
    server,
    port,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
