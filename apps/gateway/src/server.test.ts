import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway } from "./server";

describe("gateway health endpoints", () => {
  let gateway: RunningGateway;
  let unreachable: RunningGateway;
  const log = pino({ level: "silent" });

  beforeAll(async () => {
    const databaseUrl = process.env.DATABASE_URL ?? "";
    gateway = await startGateway(
      { DATABASE_URL: databaseUrl, PORT: 0, HOST: "127.0.0.1", LOG_LEVEL: "silent" },
      log,
    );
    // Port 1 on loopback: nothing listens there, so Postgres is "down" for this instance.
    unreachable = await startGateway(
      {
        DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
        PORT: 0,
        HOST: "127.0.0.1",
        LOG_LEVEL: "silent",
      },
      log,
    );
  });
  afterAll(async () => {
    await gateway.close();
    await unreachable.close();
  });

  it("GET /healthz answers 200 while the process is up", async () => {
    const res = await fetch(`http://127.0.0.1:${gateway.port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("GET /readyz answers 200 when Postgres is reachable and 503 when it is not", async () => {
    expect((await fetch(`http://127.0.0.1:${gateway.port}/readyz`)).status).toBe(200);
    const down = await fetch(`http://127.0.0.1:${unreachable.port}/readyz`);
    expect(down.status).toBe(503);
    expect(((await down.json()) as { detail: string }).detail).toMatch(/Postgres/);
  });

  it("answers an unknown path with a 404 problem", async () => {
    const res = await fetch(`http://127.0.0.1:${gateway.port}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});
