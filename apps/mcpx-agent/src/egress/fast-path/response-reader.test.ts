import { describe, expect, it } from "vitest";
import { type ResponseHead, ResponseReader } from "./response-reader";

/** Feeds `raw` in pieces of `step` bytes (1: byte by byte) and records what the reader saw. */
function read(raw: string, options: { method?: string; step?: number; eof?: boolean } = {}) {
  const seen = { heads: [] as ResponseHead[], body: "", ends: 0, errors: [] as string[] };
  const reader = new ResponseReader(options.method ?? "GET", {
    head: (head) => seen.heads.push(head),
    body: (bytes) => {
      seen.body += bytes.toString("latin1");
    },
    end: () => seen.ends++,
    error: (message) => seen.errors.push(message),
  });
  const bytes = Buffer.from(raw, "latin1");
  const step = options.step ?? bytes.length;
  for (let i = 0; i < bytes.length; i += step) reader.feed(bytes.subarray(i, i + step));
  if (options.eof) reader.eof();
  return { ...seen, trailing: reader.hadTrailingBytes };
}

describe("ResponseReader", () => {
  it.each([1, 3, 1000])("frames a Content-Length body fed %i bytes at a time", (step) => {
    const seen = read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello", { step });
    expect(seen.heads).toEqual([
      {
        status: 200,
        reason: "OK",
        headers: [
          ["Content-Length", "5"],
          ["X-A", "b"],
        ],
        framing: "length",
        reusable: true,
      },
    ]);
    expect(seen).toMatchObject({ body: "hello", ends: 1, errors: [], trailing: false });
  });

  it.each([1, 7, 1000])(
    "passes a chunked body on verbatim, extensions and trailers included (%i)",
    (step) => {
      const body = "5;ext=1\r\nhello\r\n0b\r\n, world!!!!\r\n0\r\nX-Trailer: t\r\n\r\n";
      const seen = read(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${body}`, { step });
      expect(seen.heads[0]?.framing).toBe("chunked");
      expect(seen).toMatchObject({ body, ends: 1, errors: [] });
    },
  );

  it("knows responses without a body: HEAD, 204, 304, and a zero length", () => {
    expect(read("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", { method: "HEAD" })).toMatchObject(
      {
        ends: 1,
        body: "",
      },
    );
    expect(read("HTTP/1.1 204 No Content\r\n\r\n").ends).toBe(1);
    expect(read("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n").ends).toBe(1);
    expect(read("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").ends).toBe(1);
  });

  it("reads a body without length until the upstream closes, and never reuses that connection", () => {
    const open = read("HTTP/1.1 200 OK\r\n\r\nstream of bytes");
    expect(open).toMatchObject({ body: "stream of bytes", ends: 0 });
    const closed = read("HTTP/1.1 200 OK\r\n\r\nstream of bytes", { eof: true });
    expect(closed).toMatchObject({ ends: 1, errors: [] });
    expect(closed.heads[0]).toMatchObject({ framing: "close", reusable: false });
  });

  it("drops interim 1xx heads and relays the final one", () => {
    const seen = read(
      "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
      { step: 4 },
    );
    expect(seen.heads.map((head) => head.status)).toEqual([200]);
    expect(seen.body).toBe("ok");
  });

  it("does not reuse a connection the upstream asked to close, or an HTTP/1.0 one", () => {
    expect(
      read("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").heads[0]?.reusable,
    ).toBe(false);
    expect(read("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").heads[0]?.reusable).toBe(false);
    expect(
      read("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").heads[0]
        ?.reusable,
    ).toBe(true);
  });

  it("notices bytes after the end of a response", () => {
    expect(read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA").trailing).toBe(true);
  });

  it.each([
    ["both lengths", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"],
    ["differing lengths", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n"],
    ["a list of lengths", "HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\n"],
    ["a signed length", "HTTP/1.1 200 OK\r\nContent-Length: +3\r\n\r\n"],
    ["another coding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"],
    ["a folded header", "HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\nContent-Length: 0\r\n\r\n"],
    ["a space before the colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n"],
    ["a bad status line", "HTTP/2 200 OK\r\n\r\n"],
    ["a switch of protocols", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"],
    ["a bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"],
    [
      "a chunk without its CRLF",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
    ],
  ])("refuses %s", (_name, raw) => {
    const seen = read(raw, { step: 2 });
    expect(seen.errors).toHaveLength(1);
    expect(seen.ends).toBe(0);
  });

  it("reports an upstream that closes mid-body", () => {
    const seen = read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", { eof: true });
    expect(seen).toMatchObject({
      ends: 0,
      errors: ["the upstream closed the connection mid-response"],
    });
  });

  it("refuses a head that never ends", () => {
    const seen = read(`HTTP/1.1 200 OK\r\nX-Long: ${"a".repeat(70 * 1024)}`);
    expect(seen.errors).toEqual(["the upstream's response head is too large"]);
  });
});
