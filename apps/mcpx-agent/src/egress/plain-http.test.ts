import { connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { absoluteGet } from "../testing/absolute-get";
import { startEgressHarness } from "../testing/egress-harness";

// Plain HTTP (absolute-form) through the real proxy, against an upstream that answers with
// hand-written bytes (chunked, close-delimited, misframed, cut short, closing kept-alive
// connections), on real sockets.
const FLOWS = `
AllowFilter:
  processor: Filter
  parameters:
    - key: urls
      value: ["raw.googleapis.com/*"]
`;

/** Answers by path; counts the connections it accepted. */
async function startCraftedUpstream() {
  const state = { connections: 0, requests: [] as string[] };
  const answers: Record<string, string> = {
    "/length": "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    "/chunked":
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    "/until-close": "HTTP/1.1 200 OK\r\n\r\nuntil close",
    "/both": "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\nok",
    "/then-close": "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nonce",
    "/cut-short": "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
  };
  const server: Server = createServer((socket) => {
    state.connections++;
    let text = "";
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      for (let end = text.indexOf("\r\n\r\n"); end >= 0; end = text.indexOf("\r\n\r\n")) {
        const head = text.slice(0, end);
        text = text.slice(end + 4);
        const body = /content-length: (\d+)/i.exec(head);
        if (body) text = text.slice(Number(body[1]));
        state.requests.push(head);
        const path = head.split(" ")[1] ?? "";
        socket.write(answers[path] ?? "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        // Closes a kept-alive connection without saying so: the next call must not fail.
        if (path === "/until-close" || path === "/then-close" || path === "/cut-short") {
          socket.end();
        }
      }
    });
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { state, port: (server.address() as { port: number }).port, server };
}

/** Sends raw bytes on one connection and collects what comes back until `until` or close. */
function exchange(socket: Socket, text: string, until: (received: string) => boolean) {
  return new Promise<string>((resolve) => {
    let received = "";
    const onData = (chunk: Buffer) => {
      received += chunk.toString("latin1");
      if (until(received)) done();
    };
    const done = () => {
      socket.off("data", onData);
      resolve(received);
    };
    socket.on("data", onData);
    socket.once("close", done);
    socket.write(text);
  });
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe("egress proxy, plain HTTP", () => {
  let harness: Awaited<ReturnType<typeof startEgressHarness>>;
  let upstream: Awaited<ReturnType<typeof startCraftedUpstream>>;
  let client: Socket;

  beforeAll(async () => {
    harness = await startEgressHarness({ flowsYaml: FLOWS });
    upstream = await startCraftedUpstream();
    (harness.context.resolveOverrides as Map<string, { address: string; port: number }>).set(
      "raw.googleapis.com:80",
      { address: "127.0.0.1", port: upstream.port },
    );
  });
  afterAll(async () => {
    client?.destroy();
    await harness.close();
    upstream.server.close();
  });

  const get = (path: string, extra = "") =>
    `GET http://raw.googleapis.com${path} HTTP/1.1\r\nHost: raw.googleapis.com\r\n${extra}\r\n`;
  const lastCall = () => harness.events.findLast((event) => event.type === "http_call");

  it("answers pipelined requests in order on one kept-alive connection", async () => {
    client = connect(harness.proxy.port, "127.0.0.1");
    const received = await exchange(
      client,
      get("/length") + get("/chunked") + get("/length"),
      (r) => count(r, "HTTP/1.1 200 OK") === 3 && r.endsWith("hello"),
    );
    const bodies = received.split("HTTP/1.1 200 OK").slice(1);
    expect(bodies).toHaveLength(3);
    expect(bodies[0]?.endsWith("\r\n\r\nhello")).toBe(true);
    expect(bodies[1]).toContain("Transfer-Encoding: chunked");
    expect(bodies[1]?.replace(/\r\n[0-9a-f]+\r\n/g, "")).toContain("hello world");
    expect(bodies[2]?.endsWith("\r\n\r\nhello")).toBe(true);
    expect(
      harness.events
        .slice(-3)
        .map((e) => e.type === "http_call" && e.path)
        .sort(),
    ).toEqual(["/chunked", "/length", "/length"]);
  });

  it("answers a denied request with the generated 403 and keeps serving the connection", async () => {
    const denied = "GET http://api.badactor.com/steal HTTP/1.1\r\nHost: api.badactor.com\r\n\r\n";
    const received = await exchange(client, denied + get("/length"), (r) => r.endsWith("hello"));
    expect(received.startsWith("HTTP/1.1 403 Forbidden")).toBe(true);
    expect(received).toContain("Forbidden Access");
    expect(count(received, "HTTP/1.1 200 OK")).toBe(1);
    expect(harness.events.at(-2)).toMatchObject({ host: "api.badactor.com", decision: "blocked" });
  });

  it("serves a request with a body after one without, on the same connection", async () => {
    const post =
      "POST http://raw.googleapis.com/length HTTP/1.1\r\nHost: raw.googleapis.com\r\nContent-Length: 2\r\n\r\nhi";
    const received = await exchange(client, get("/length") + post, (r) => count(r, "hello") === 2);
    expect(count(received, "HTTP/1.1 200 OK")).toBe(2);
    expect(lastCall()).toMatchObject({ method: "POST", path: "/length", status: 200, bytesOut: 2 });
    expect(upstream.state.requests.at(-1)).toMatch(/^POST \/length HTTP\/1\.1\r\n/);
  });

  it("does not fail a call when the upstream closed the kept-alive connection before", async () => {
    const fresh = connect(harness.proxy.port, "127.0.0.1");
    const first = await exchange(fresh, get("/then-close"), (r) => r.endsWith("once"));
    expect(first).toContain("200 OK");
    // The upstream closed the connection the pool may still hold; the next call must not fail.
    const second = await exchange(fresh, get("/length"), (r) => r.endsWith("hello"));
    expect(second).toContain("200 OK");
    fresh.destroy();
  });

  it("relays a body delimited by the upstream's close, framed for the client", async () => {
    const response = await absoluteGet(harness.proxy.port, "http://raw.googleapis.com/until-close");
    expect(response).toEqual({ status: 200, body: "until close", complete: true });
    expect(lastCall()).toMatchObject({ path: "/until-close", status: 200, networkError: null });
  });

  it("answers 502 to a response it could misframe, and records why", async () => {
    const response = await absoluteGet(harness.proxy.port, "http://raw.googleapis.com/both");
    expect(response.status).toBe(502);
    expect(response.body).toMatch(/^Bad gateway: /);
    expect(lastCall()).toMatchObject({
      path: "/both",
      status: null,
      decision: "allowed",
      networkError: expect.any(String),
    });
  });

  it("cuts the client's response short when the upstream's is, and records it", async () => {
    const response = await absoluteGet(harness.proxy.port, "http://raw.googleapis.com/cut-short");
    // Never passed on as a whole response: the client sees it end before its end.
    expect(response.complete).toBe(false);
    expect(lastCall()).toMatchObject({ path: "/cut-short", status: 200 });
    expect(lastCall()?.type === "http_call" && lastCall()).toMatchObject({
      networkError: expect.any(String),
    });
  });

  it("forwards the origin-form request with the URL's host and without hop-by-hop headers", async () => {
    const socket = connect(harness.proxy.port, "127.0.0.1");
    await exchange(
      socket,
      "GET http://raw.googleapis.com/length?q=1 HTTP/1.1\r\nHost: elsewhere.example\r\nProxy-Authorization: Basic x\r\nConnection: close, X-Drop\r\nX-Drop: 1\r\nX-Keep: 2\r\n\r\n",
      () => false,
    );
    const [line, ...headers] = (upstream.state.requests.at(-1) ?? "").split("\r\n");
    expect(line).toBe("GET /length?q=1 HTTP/1.1");
    const names = headers.map((header) => header.split(":")[0]?.toLowerCase());
    expect(headers).toContain("X-Keep: 2");
    expect(headers.map((header) => header.toLowerCase())).toContain("host: raw.googleapis.com");
    expect(names).not.toContain("x-drop");
    expect(names).not.toContain("proxy-authorization");
  });
});
