import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpstreamPool } from "../upstream/upstream-pool";
import { startHttpFront } from "./http-front";

describe("HTTP front end with a bearer token", () => {
  const log = pino({ level: "silent" });
  let front: Awaited<ReturnType<typeof startHttpFront>>;
  let url: URL;

  beforeAll(async () => {
    front = await startHttpFront(
      new UpstreamPool(log),
      { record: () => {} },
      {
        port: 0,
        host: "127.0.0.1",
        token: "s3cret-token",
        log,
      },
    );
    url = new URL(`http://127.0.0.1:${front.port}/mcp`);
  });
  afterAll(async () => {
    await front.close();
  });

  it("refuses a client without the token, or with a wrong one, with 401", async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: "Bearer wrong" },
      { authorization: "s3cret-token" },
    ];
    for (const headers of attempts) {
      const client = new Client({ name: "no-token", version: "1" });
      await expect(
        client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } })),
      ).rejects.toThrow(/401|bearer/i);
    }
  });

  it("serves a client that sends the token", async () => {
    const client = new Client({ name: "with-token", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(url, {
        requestInit: { headers: { authorization: "Bearer s3cret-token" } },
      }),
    );
    expect((await client.listTools()).tools).toEqual([]);
    await client.close();
  });

  it("answers other paths with 404", async () => {
    expect((await fetch(`http://127.0.0.1:${front.port}/other`)).status).toBe(404);
  });
});

describe("HTTP front end on a port already taken", () => {
  it("fails to start with EADDRINUSE instead of leaving the error unawaited", async () => {
    const log = pino({ level: "silent" });
    const taken = await startHttpFront(
      new UpstreamPool(log),
      { record: () => {} },
      {
        port: 0,
        host: "127.0.0.1",
        log,
      },
    );
    try {
      await expect(
        startHttpFront(
          new UpstreamPool(log),
          { record: () => {} },
          {
            port: taken.port,
            host: "127.0.0.1",
            log,
          },
        ),
      ).rejects.toMatchObject({ code: "EADDRINUSE" });
    } finally {
      await taken.close();
    }
  });
});
