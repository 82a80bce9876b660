import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { TServerConfig } from "../config/mcp-config-schema";
import { type HttpFront, startHttpFront } from "../front/http-front";
import { type ReferenceHttp, startReferenceHttp } from "../testing/reference-http";
import { UpstreamPool } from "./upstream-pool";
import type { UpstreamServer, UpstreamStatus } from "./upstream-server";

// A remote server (the reference server over Streamable HTTP with sessions, on a loopback port)
// behind the agent's HTTP front, an SDK client in front: the remote server restarts on the same
// port and forgets every session, and the agent has to notice, re-initialize and carry on.

const log = pino({ level: "silent" });
const TOOL = "remote__test_simple_text";
const ANSWER = "This is a simple text response for testing.";

interface Setup {
  remote: ReferenceHttp;
  port: number;
  pool: UpstreamPool;
  upstream: UpstreamServer;
  front: HttpFront;
  client: Client;
  /** Every status the server went through since the setup, in order. */
  seen: UpstreamStatus[];
}

let open: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const item of open.reverse()) await item.close().catch(() => {});
  open = [];
});

async function setup(): Promise<Setup> {
  const remote = await startReferenceHttp();
  open.push({ close: () => remote.close() });
  const pool = new UpstreamPool(log);
  open.push({ close: () => pool.stopAll() });
  await pool.apply(new Map([["remote", { type: "http", url: remote.url } as TServerConfig]]));
  await pool.settled(10_000);
  const upstream = pool.get("remote");
  if (upstream?.currentState !== "ready") throw new Error("the remote server did not connect");
  const front = await startHttpFront(
    pool,
    { record: () => {} },
    { port: 0, host: "127.0.0.1", log },
  );
  open.push(front);
  const client = new Client({ name: "reconnect-test", version: "1" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${front.port}/mcp`)),
  );
  open.push(client);
  const seen: UpstreamStatus[] = [];
  upstream.onStateChange(() => seen.push(upstream.status()));
  return {
    remote,
    port: Number(new URL(remote.url).port),
    pool,
    upstream,
    front,
    client,
    seen,
  };
}

/** A restarted remote server on the same port, closed after the test. */
async function restartOn(port: number): Promise<ReferenceHttp> {
  const remote = await startReferenceHttp({ port });
  open.push({ close: () => remote.close() });
  return remote;
}

function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function untilState(upstream: UpstreamServer, state: UpstreamStatus["state"]): Promise<void> {
  return new Promise((resolve) => {
    if (upstream.currentState === state) return resolve();
    const off = upstream.onStateChange(() => {
      if (upstream.currentState !== state) return;
      off();
      resolve();
    });
  });
}

const textOf = (result: unknown) =>
  (result as { content: { text?: string }[] }).content[0]?.text ?? "";

describe("a remote Streamable HTTP server that restarts", { timeout: 30_000 }, () => {
  it("is re-initialized: the next call through the agent succeeds within 5 s, and status shows restarting then ready", async () => {
    const s = await setup();
    expect(textOf(await s.client.callTool({ name: TOOL, arguments: {} }))).toBe(ANSWER);

    await s.remote.close();
    await restartOn(s.port);

    const result = await within(
      5_000,
      "the call after the restart",
      (async function call() {
        return s.client.callTool({ name: TOOL, arguments: {} });
      })(),
    );
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe(ANSWER);

    const states = s.seen.map((status) => status.state);
    expect(states[0]).toBe("restarting");
    expect(states.at(-1)).toBe("ready");
    expect(s.seen[0]?.reason).toMatch(/session/i);
    expect(s.upstream.status()).toMatchObject({ state: "ready", reason: null, attempts: 0 });
    expect(s.upstream.status().restarts).toBeGreaterThanOrEqual(1);
  });

  it("a call made while the server is down waits for the reconnect and then succeeds", async () => {
    const s = await setup();
    await s.remote.close();
    // The agent notices on its own (the event stream cannot be reopened): no call needed.
    await within(5_000, "noticing the server is gone", untilState(s.upstream, "restarting"));
    const restarting = s.upstream.status();
    expect(restarting.reason).toBeTruthy();
    expect(restarting.lastError).toBeTruthy();

    const call = s.client.callTool({ name: TOOL, arguments: {} });
    await restartOn(s.port);
    const result = await within(5_000, "the call made while down", call);
    expect(textOf(result)).toBe(ANSWER);
    expect(s.upstream.status().state).toBe("ready");
  });
});
