import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { readSlowly } from "../testing/read-slowly";
import { systemDialer } from "./dialer";
import { TunnelRelay } from "./tunnel-relay";

const ESTABLISHED = "OK\n";

describe("blind tunnel relay", () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  async function listen(server: Server): Promise<number> {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  }

  /**
   * A stand-in proxy: every accepted connection is relayed to `upstream` (after `beforeStart`,
   * which can let bytes pile up on either socket first). Its listening socket has Node's default
   * (no half-open), as the proxy's has.
   */
  async function startRelay(
    upstream: (socket: Socket) => void,
    beforeStart: (client: Socket, upstream: Socket) => Promise<Buffer | undefined> = async () =>
      undefined,
  ) {
    const upstreamPort = await listen(createServer({ allowHalfOpen: true }, upstream));
    let onClosed: (relay: TunnelRelay) => void = () => {};
    const closed = new Promise<TunnelRelay>((resolve) => {
      onClosed = resolve;
    });
    const started: TunnelRelay[] = [];
    const proxyPort = await listen(
      createServer(async (client) => {
        const relay = new TunnelRelay(client, onClosed);
        const upstreamSocket = await systemDialer.connect("127.0.0.1", upstreamPort);
        const head = await beforeStart(client, upstreamSocket);
        relay.start(upstreamSocket, head ?? Buffer.alloc(0), ESTABLISHED);
        started.push(relay);
      }),
    );
    return { proxyPort, closed, started };
  }

  it("relays both ways, passing on first what either side sent before it started", async () => {
    const { proxyPort, closed, started } = await startRelay(
      (socket) => {
        socket.write("srv:");
        socket.on("data", (chunk) => socket.write(chunk));
        socket.on("end", () => socket.end());
      },
      // Both sockets hold unread bytes when the relay takes over.
      async (client, upstream) => {
        while (client.readableLength === 0) await once(client, "readable");
        while (upstream.readableLength === 0) await once(upstream, "readable");
        return undefined;
      },
    );
    const client = connect(proxyPort, "127.0.0.1");
    client.write("early");
    let received = "";
    client.setEncoding("latin1");
    client.on("data", (chunk: string) => {
      received += chunk;
      if (received === `${ESTABLISHED}srv:early`) client.end("late");
    });
    await once(client, "end");
    expect(received).toBe(`${ESTABLISHED}srv:earlylate`);
    const relay = await closed;
    expect(started).toHaveLength(1);
    expect({ bytesIn: relay.bytesIn, bytesOut: relay.bytesOut }).toEqual({
      bytesIn: "srv:earlylate".length,
      bytesOut: "earlylate".length,
    });
  });

  it("passes the client's half-close on and still delivers the upstream's answer", async () => {
    const upload = randomBytes(16 * 1024 * 1024);
    const { proxyPort, closed } = await startRelay((socket) => {
      // A slow upstream: the relay's writes to it back up while the client keeps sending.
      void readSlowly(socket).then((bytes) => socket.end(`got ${digest(bytes)}`));
    });
    const client = connect(proxyPort, "127.0.0.1");
    client.end(upload);
    client.setEncoding("latin1");
    let received = "";
    client.on("data", (chunk: string) => {
      received += chunk;
    });
    await once(client, "end");
    expect(received).toBe(`${ESTABLISHED}got ${digest(upload)}`);
    expect((await closed).bytesOut).toBe(upload.length);
  });

  it("delivers every byte of a download to a slow reader when the upstream closes at once", async () => {
    const body = randomBytes(16 * 1024 * 1024);
    const { proxyPort, closed } = await startRelay((socket) => socket.end(body));
    const client = connect(proxyPort, "127.0.0.1");
    const received = await readSlowly(client);
    expect(received.subarray(0, ESTABLISHED.length).toString()).toBe(ESTABLISHED);
    // Compared by digest: a 16 MiB diff would drown the report.
    expect(digest(received.subarray(ESTABLISHED.length))).toBe(digest(body));
    expect((await closed).bytesIn).toBe(body.length);
  });

  /** An upstream that answers once the client has ended its side. */
  function answerAfterEnd(socket: Socket): void {
    let request = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      request += chunk;
    });
    socket.once("end", () => socket.end(`answer to ${request}`));
  }

  /** Sends `question` and half-closes; resolves with all that came back. */
  async function askAndHalfClose(proxyPort: number, question: string): Promise<string> {
    const client = connect(proxyPort, "127.0.0.1");
    client.end(question);
    client.setEncoding("latin1");
    let received = "";
    client.on("data", (chunk: string) => {
      received += chunk;
    });
    await once(client, "end");
    return received;
  }

  it("passes on a client's end that arrived before the relay started", async () => {
    const { proxyPort, closed } = await startRelay(answerAfterEnd, async (client) => {
      // Until Node has read the end, which no one has consumed yet. No event or documented
      // property says so (and 'readable' repeats while data waits), so this test, and only it,
      // peeks at the stream's state, once per turn of the event loop.
      const state = (client as unknown as { _readableState: { ended: boolean } })._readableState;
      while (!state.ended) await new Promise((resolve) => setImmediate(resolve));
      return undefined;
    });
    expect(await askAndHalfClose(proxyPort, "question")).toBe(`${ESTABLISHED}answer to question`);
    await closed;
  });

  it("passes on a client's end that was read, with its bytes, before the relay started", async () => {
    // What the proxy's HTTP parser does to bytes sent with the CONNECT: they are read and handed
    // over as `head`; here the client's end has been read (and emitted) too.
    const { proxyPort, closed } = await startRelay(answerAfterEnd, async (client) => {
      const chunks: Buffer[] = [];
      client.on("data", (chunk: Buffer) => chunks.push(chunk));
      await once(client, "end");
      return Buffer.concat(chunks);
    });
    expect(await askAndHalfClose(proxyPort, "question")).toBe(`${ESTABLISHED}answer to question`);
    expect((await closed).bytesOut).toBe("question".length);
  });

  it("delivers a download's end to a client that keeps sending while it is flushed", async () => {
    const body = randomBytes(16 * 1024 * 1024);
    const { proxyPort, closed } = await startRelay((socket) => {
      socket.resume();
      socket.end(body);
    });
    const client = connect(proxyPort, "127.0.0.1");
    // Bytes the proxy has not read when the upstream closes: closing a socket over them would
    // reset it and throw away the download's unsent end.
    const pinging = setInterval(() => client.write("ping"), 1);
    try {
      const received = await readSlowly(client);
      expect(received.length - ESTABLISHED.length).toBe(body.length);
      expect(digest(received.subarray(ESTABLISHED.length))).toBe(digest(body));
    } finally {
      clearInterval(pinging);
    }
    client.end();
    expect((await closed).bytesIn).toBe(body.length);
  });

  it("tells the upstream when the client goes away, and closes when it has ended too", async () => {
    let upstreamGone: () => void = () => {};
    const gone = new Promise<void>((resolve) => {
      upstreamGone = resolve;
    });
    const { proxyPort, closed } = await startRelay((socket) => {
      socket.once("end", () => {
        upstreamGone();
        // As most servers do: the relay closes once both sides have ended.
        socket.end();
      });
      socket.resume();
    });
    const client = connect(proxyPort, "127.0.0.1");
    await once(client, "data");
    client.destroy();
    await gone;
    await closed;
  });

  it("closes the client when the upstream resets the connection", async () => {
    const { proxyPort, closed } = await startRelay((socket) => {
      socket.once("data", () => socket.resetAndDestroy());
    });
    const client = connect(proxyPort, "127.0.0.1");
    client.on("error", () => {});
    client.write("hello");
    client.resume();
    await once(client, "close");
    expect((await closed).bytesOut).toBe("hello".length);
  });
});

function digest(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
