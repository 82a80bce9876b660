import { describe, expect, it } from "vitest";
import { MAX_FAST_HEAD_BYTES, readRequestHead } from "./request-head";

const kind = (text: string) => readRequestHead(Buffer.from(text, "latin1")).kind;

describe("readRequestHead", () => {
  it("takes a plain absolute-form GET, keeping header names and order", () => {
    const text =
      "GET http://slack.com/api/x?a=1 HTTP/1.1\r\nHost: slack.com\r\nX-Trace: a\r\nx-trace: b\r\nConnection: keep-alive, Close\r\n\r\nNEXT";
    const reading = readRequestHead(Buffer.from(text, "latin1"));
    expect(reading).toEqual({
      kind: "fast",
      head: {
        method: "GET",
        target: "http://slack.com/api/x?a=1",
        rawHeaders: [
          ["Host", "slack.com"],
          ["X-Trace", "a"],
          ["x-trace", "b"],
          ["Connection", "keep-alive, Close"],
        ],
        headers: { host: "slack.com", "x-trace": "a, b", connection: "keep-alive, Close" },
        close: true,
        length: text.indexOf("NEXT"),
      },
    });
  });

  it("waits for the rest of a head", () => {
    expect(kind("GET http://slack.com/ HTTP/1.1\r\nHost: x\r\n")).toBe("incomplete");
  });

  it.each([
    ["a body", "POST http://a.io/ HTTP/1.1\r\nContent-Length: 2\r\n\r\nok"],
    ["a GET with a body", "GET http://a.io/ HTTP/1.1\r\nContent-Length: 1\r\n\r\nx"],
    ["chunked", "GET http://a.io/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"],
    ["CONNECT", "CONNECT a.io:443 HTTP/1.1\r\nHost: a.io:443\r\n\r\n"],
    ["https absolute-form", "GET https://a.io/ HTTP/1.1\r\n\r\n"],
    ["origin-form", "GET / HTTP/1.1\r\nHost: a.io\r\n\r\n"],
    ["HTTP/1.0", "GET http://a.io/ HTTP/1.0\r\n\r\n"],
    ["a lower-case method", "get http://a.io/ HTTP/1.1\r\n\r\n"],
    ["a space in the target", "GET http://a.io/a b HTTP/1.1\r\n\r\n"],
    ["a control character", "GET http://a.io/\x01 HTTP/1.1\r\n\r\n"],
    ["a non-ASCII byte", "GET http://a.io/\xe9 HTTP/1.1\r\n\r\n"],
    ["a folded header", "GET http://a.io/ HTTP/1.1\r\nX-A: b\r\n c\r\n\r\n"],
    ["a space before the colon", "GET http://a.io/ HTTP/1.1\r\nHost : a\r\n\r\n"],
    ["a bare LF", "GET http://a.io/ HTTP/1.1\r\nX-A: b\nX-B: c\r\n\r\n"],
    ["Expect", "GET http://a.io/ HTTP/1.1\r\nExpect: 100-continue\r\n\r\n"],
    ["Upgrade", "GET http://a.io/ HTTP/1.1\r\nUpgrade: websocket\r\n\r\n"],
  ])("hands %s to Node's parser", (_name, text) => {
    expect(kind(text)).toBe("hand-off");
  });

  it("hands an oversized head to Node's parser, complete or not", () => {
    const big = `GET http://a.io/ HTTP/1.1\r\nX-Big: ${"a".repeat(MAX_FAST_HEAD_BYTES)}`;
    expect(kind(big)).toBe("hand-off");
    expect(kind(`${big}\r\n\r\n`)).toBe("hand-off");
  });

  it("takes a zero Content-Length", () => {
    expect(kind("DELETE http://a.io/x HTTP/1.1\r\nContent-Length: 0\r\n\r\n")).toBe("fast");
  });
});
