// Reads an upstream HTTP/1.x response off a raw socket for the fast path: the head parsed
// strictly, the body framed (Content-Length, chunked, none, or until the upstream closes) so the
// proxy knows exactly where the response ends and whether the connection can be used again. Body
// bytes are passed on as they arrive, chunked encoding verbatim. Anything ambiguous (both
// Content-Length and Transfer-Encoding, differing lengths, codings other than chunked, folded
// header lines) is an error: the client gets a 502, never a response we could misframe.

const MAX_HEAD_BYTES = 64 * 1024;
const EMPTY = Buffer.alloc(0);
const MAX_CHUNK_LINE = 1024;
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: ([\t\x20-\x7e\x80-\xff]*))?$/;
const HEADER_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*([\t\x20-\x7e\x80-\xff]*?)[ \t]*$/;

export interface ResponseHead {
  status: number;
  reason: string;
  /** Header lines as received (name, value), in order. */
  headers: [string, string][];
  /** How the body is delimited. */
  framing: "none" | "length" | "chunked" | "close";
  /** Whether the upstream connection may carry another request afterwards. */
  reusable: boolean;
}

export interface ResponseHandlers {
  head(head: ResponseHead): void;
  body(bytes: Buffer): void;
  end(): void;
  error(message: string): void;
}

type State =
  | "head"
  | "length"
  | "chunk-size"
  | "chunk-data"
  | "chunk-crlf"
  | "trailers"
  | "close"
  | "done";

export class ResponseReader {
  private state: State = "head";
  private pending: Buffer = EMPTY;
  private remaining = 0;
  private line = "";
  private failed = false;
  private trailing = false;

  constructor(
    private readonly requestMethod: string,
    private readonly handlers: ResponseHandlers,
  ) {}

  /** Bytes came after the response's end: the connection is out of step and not reused. */
  get hadTrailingBytes(): boolean {
    return this.trailing;
  }

  /** Bytes from the upstream socket. */
  feed(chunk: Buffer): void {
    if (this.failed || this.state === "done") return;
    let data = chunk;
    if (this.state === "head") {
      data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
      this.pending = EMPTY;
      const rest = this.readHeads(data);
      if (rest === null || this.failed) return;
      data = rest;
    }
    this.readBody(data);
  }

  /** The upstream closed its side. */
  eof(): void {
    if (this.failed || this.state === "done") return;
    if (this.state === "close") {
      this.finish();
      return;
    }
    this.fail("the upstream closed the connection mid-response");
  }

  private fail(message: string): void {
    this.failed = true;
    this.handlers.error(message);
  }

  private finish(): void {
    this.state = "done";
    this.handlers.end();
  }

  /** Parses heads (skipping 1xx interim ones); returns the bytes after the final head, or null. */
  private readHeads(data: Buffer): Buffer | null {
    let rest = data;
    for (;;) {
      const end = rest.indexOf("\r\n\r\n");
      if (end < 0) {
        if (rest.length > MAX_HEAD_BYTES) this.fail("the upstream's response head is too large");
        else this.pending = rest;
        return null;
      }
      const head = this.parseHead(rest.toString("latin1", 0, end));
      if (!head) return null;
      rest = rest.subarray(end + 4);
      if (head.status >= 100 && head.status < 200) continue; // interim (103 and the like): dropped
      this.handlers.head(head);
      if (head.framing === "none") {
        this.trailing = rest.length > 0;
        this.finish();
        return null;
      }
      if (head.framing === "length") this.state = "length";
      else if (head.framing === "chunked") this.state = "chunk-size";
      else this.state = "close";
      return rest;
    }
  }

  private parseHead(text: string): ResponseHead | null {
    const lines = text.split("\r\n");
    const statusLine = STATUS_LINE.exec(lines[0] ?? "");
    if (!statusLine) return this.failWith("the upstream's status line is malformed");
    const status = Number(statusLine[2]);
    if (status === 101) return this.failWith("the upstream switched protocols unasked");
    const headers: [string, string][] = [];
    const lengths = new Set<string>();
    let transferEncoding: string | null = null;
    let closeRequested = statusLine[1] === "0";
    for (let i = 1; i < lines.length; i++) {
      const line = HEADER_LINE.exec(lines[i] as string);
      if (!line) return this.failWith("the upstream sent a malformed header line");
      const name = line[1] as string;
      const value = line[2] as string;
      const lower = name.toLowerCase();
      if (lower === "content-length") {
        for (const part of value.split(",")) lengths.add(part.trim());
      } else if (lower === "transfer-encoding") {
        transferEncoding = transferEncoding === null ? value : `${transferEncoding}, ${value}`;
      } else if (lower === "connection") {
        if (/(?:^|,)\s*close\s*(?:,|$)/i.test(value)) closeRequested = true;
        if (/(?:^|,)\s*keep-alive\s*(?:,|$)/i.test(value) && statusLine[1] === "0") {
          closeRequested = false;
        }
      }
      headers.push([name, value]);
    }
    if (transferEncoding !== null && lengths.size > 0) {
      return this.failWith("the upstream sent both Content-Length and Transfer-Encoding");
    }
    const noBody =
      this.requestMethod === "HEAD" || status === 204 || status === 304 || status < 200;
    let framing: ResponseHead["framing"];
    if (noBody) framing = "none";
    else if (transferEncoding !== null) {
      if (transferEncoding.trim().toLowerCase() !== "chunked") {
        return this.failWith("the upstream used a transfer coding other than chunked");
      }
      framing = "chunked";
    } else if (lengths.size > 0) {
      const [length] = lengths;
      if (lengths.size > 1 || !/^\d{1,15}$/.test(length as string)) {
        return this.failWith("the upstream's Content-Length is invalid");
      }
      this.remaining = Number(length);
      framing = this.remaining === 0 ? "none" : "length";
    } else framing = "close";
    return {
      status,
      reason: statusLine[3] ?? "",
      headers,
      framing,
      reusable: !closeRequested && framing !== "close",
    };
  }

  private failWith(message: string): null {
    this.fail(message);
    return null;
  }

  private readBody(data: Buffer): void {
    if (data.length === 0) return;
    if (this.state === "close") {
      this.handlers.body(data);
      return;
    }
    if (this.state === "length") {
      const take = Math.min(this.remaining, data.length);
      this.remaining -= take;
      this.handlers.body(take === data.length ? data : data.subarray(0, take));
      if (this.remaining === 0) {
        this.trailing = take < data.length;
        this.finish();
      }
      return;
    }
    const consumed = this.readChunked(data);
    if (consumed > 0)
      this.handlers.body(consumed === data.length ? data : data.subarray(0, consumed));
    if (this.state === "done") {
      this.trailing = consumed < data.length;
      this.handlers.end();
    }
  }

  /** Walks chunked framing; returns how many bytes of `data` belong to this response. */
  private readChunked(data: Buffer): number {
    let i = 0;
    while (i < data.length && !this.failed) {
      if (this.state === "chunk-data") {
        const take = Math.min(this.remaining, data.length - i);
        i += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = "chunk-crlf";
        continue;
      }
      // chunk-size, chunk-crlf and trailers are line-based.
      const byte = data[i] as number;
      i++;
      this.line += String.fromCharCode(byte);
      if (this.line.length > MAX_CHUNK_LINE) {
        this.fail("the upstream's chunked framing is malformed");
        return 0;
      }
      if (!this.line.endsWith("\r\n")) continue;
      const line = this.line.slice(0, -2);
      this.line = "";
      if (this.state === "chunk-crlf") {
        if (line !== "") {
          this.fail("the upstream's chunked framing is malformed");
          return 0;
        }
        this.state = "chunk-size";
      } else if (this.state === "chunk-size") {
        const size = /^([0-9a-fA-F]{1,12})(?:[ \t]*;[\t\x20-\x7e]*)?$/.exec(line);
        if (!size) {
          this.fail("the upstream's chunked framing is malformed");
          return 0;
        }
        this.remaining = Number.parseInt(size[1] as string, 16);
        this.state = this.remaining === 0 ? "trailers" : "chunk-data";
      } else if (line === "") {
        this.state = "done";
        return i;
      }
    }
    return i;
  }
}
