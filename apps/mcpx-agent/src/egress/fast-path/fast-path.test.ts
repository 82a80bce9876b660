import { connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEgressHarness } from "../../testing/egress-harness";

// The fast path through the real proxy, against an upstream that answers with hand-written bytes
// (chunked, close-delimited, malformed, closing kept-alive connections), on real sockets.
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
        // Closes an idle kept-alive connection without saying so: the proxy must retry afresh.
        if (path === "/until-close" || path === "/then-close") socket.end();
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

describe("egress proxy fast path", () => {
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

  it("answers pipelined requests in order on one kept-alive connection", async () => {
    client = connect(harness.proxy.port, "127.0.0.1");
    const before = upstream.state.connections;
    const received = await exchange(
      client,
      get("/length") + get("/chunked") + get("/length"),
      (r) => count(r, "HTTP/1.1 200 OK") === 3 && r.endsWith("hello"),
    );
    expect(count(received, "HTTP/1.1 200 OK")).toBe(3);
    expect(received.indexOf("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")).toBeGreaterThan(0);
    expect(received.indexOf("Transfer-Encoding: chunked")).toBeGreaterThan(0);
    expect(upstream.state.connections - before).toBe(1);
    expect(harness.events.slice(-3).map((e) => e.type === "http_call" && e.path)).toEqual([
      "/length",
      "/chunked",
      "/length",
    ]);
  });

  it("answers a denied request with the generated 403 and keeps serving the connection", async () => {
    const denied = "GET http://api.badactor.com/steal HTTP/1.1\r\nHost: api.badactor.com\r\n\r\n";
    const received = await exchange(client, denied + get("/length"), (r) => r.endsWith("hello"));
    expect(received.startsWith("HTTP/1.1 403 Forbidden")).toBe(true);
    expect(received).toContain("Forbidden Access");
    expect(count(received, "HTTP/1.1 200 OK")).toBe(1);
    expect(harness.events.at(-2)).toMatchObject({ host: "api.badactor.com", decision: "blocked" });
  });

  it("hands the connection to Node's parser at the first request it does not take", async () => {
    const post =
      "POST http://raw.googleapis.com/length HTTP/1.1\r\nHost: raw.googleapis.com\r\nContent-Length: 2\r\n\r\nhi";
    const received = await exchange(client, get("/length") + post, (r) => count(r, "hello") === 2);
    expect(count(received, "HTTP/1.1 200 OK")).toBe(2);
    expect(harness.events.at(-1)).toMatchObject({ method: "POST", path: "/length", status: 200 });
  });

  it("retries once on a fresh connection when a kept-alive upstream closed it", async () => {
    const fresh = connect(harness.proxy.port, "127.0.0.1");
    const first = await exchange(fresh, get("/then-close"), (r) => r.endsWith("once"));
    expect(first).toContain("200 OK");
    // The upstream closed the connection the pool may still hold; the next call must not fail.
    const second = await exchange(fresh, get("/length"), (r) => r.endsWith("hello"));
    expect(second).toContain("200 OK");
    fresh.destroy();
  });

  it("relays a body delimited by the upstream's close, then closes the client connection", async () => {
    const socket = connect(harness.proxy.port, "127.0.0.1");
    const received = await exchange(socket, get("/until-close"), () => false);
    expect(received).toContain("HTTP/1.1 200 OK\r\n");
    expect(received).toContain("Connection: close\r\n");
    expect(received.endsWith("\r\n\r\nuntil close")).toBe(true);
    expect(socket.destroyed || socket.readableEnded).toBe(true);
  });

  it("answers 502 to a response it could misframe, and records why", async () => {
    const socket = connect(harness.proxy.port, "127.0.0.1");
    const received = await exchange(socket, get("/both"), () => false);
    expect(received.startsWith("HTTP/1.1 502 Bad Gateway")).toBe(true);
    expect(harness.events.at(-1)).toMatchObject({
      path: "/both",
      status: null,
      networkError: "the upstream sent both Content-Length and Transfer-Encoding",
    });
  });

  it("forwards the origin-form request with the URL's host and without hop-by-hop headers", async () => {
    const socket = connect(harness.proxy.port, "127.0.0.1");
    await exchange(
      socket,
      "GET http://raw.googleapis.com/length?q=1 HTTP/1.1\r\nHost: elsewhere.example\r\nProxy-Authorization: Basic x\r\nConnection: close, X-Drop\r\nX-Drop: 1\r\nX-Keep: 2\r\n\r\n",
      () => false,
    );
    expect(upstream.state.requests.at(-1)).toBe(
      "GET /length?q=1 HTTP/1.1\r\nX-Keep: 2\r\nHost: raw.googleapis.com",
    );
  });
});
