// The fast path's reading of a request head. Deliberately narrow: it accepts only the common,
// unambiguous shape (an HTTP/1.1 absolute-form http:// request without a body, every header line
// plain `name: value` in printable ASCII) and hands everything else, unread, to Node's HTTP
// parser. Being strict costs nothing here: "not sure" means "the slower, general path".

/** The longest head the fast path reads; a longer one goes to Node's parser and its limits. */
export const MAX_FAST_HEAD_BYTES = 16 * 1024;

const METHODS = new Set(["GET", "HEAD", "DELETE", "OPTIONS"]);
const REQUEST_LINE = /^([A-Z]+) (http:\/\/[\x21-\x7e]+) HTTP\/1\.1$/;
const HEADER_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*([\x20-\x7e\t]*)$/;
/** Headers that mean a body, a protocol switch or a handshake the fast path does not do. */
const HAND_OFF_HEADERS = new Set(["transfer-encoding", "expect", "upgrade", "te"]);

export interface FastRequestHead {
  method: string;
  /** The absolute-form target as sent; parsed by the one target parser before any decision. */
  target: string;
  /** Header lines as sent (name, value), in order. */
  rawHeaders: [string, string][];
  /** Lower-cased names, values of repeated names joined with ", " (what flows header rules see). */
  headers: Record<string, string>;
  /** The client asked to close after this response. */
  close: boolean;
  /** Bytes of the head including its blank line. */
  length: number;
}

export type HeadReading =
  | { kind: "fast"; head: FastRequestHead }
  | { kind: "incomplete" }
  | { kind: "hand-off" };

export function readRequestHead(buffer: Buffer): HeadReading {
  const end = buffer.indexOf("\r\n\r\n");
  if (end < 0)
    return buffer.length > MAX_FAST_HEAD_BYTES ? { kind: "hand-off" } : { kind: "incomplete" };
  if (end > MAX_FAST_HEAD_BYTES) return { kind: "hand-off" };
  const lines = buffer.toString("latin1", 0, end).split("\r\n");
  const requestLine = REQUEST_LINE.exec(lines[0] ?? "");
  if (!requestLine || !METHODS.has(requestLine[1] as string)) return { kind: "hand-off" };
  const rawHeaders: [string, string][] = [];
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = HEADER_LINE.exec(lines[i] as string);
    if (!line) return { kind: "hand-off" };
    const name = line[1] as string;
    const value = (line[2] as string).trimEnd();
    const lower = name.toLowerCase();
    if (HAND_OFF_HEADERS.has(lower)) return { kind: "hand-off" };
    if (lower === "content-length" && value !== "0") return { kind: "hand-off" };
    rawHeaders.push([name, value]);
    headers[lower] = headers[lower] === undefined ? value : `${headers[lower]}, ${value}`;
  }
  const connection = (headers.connection ?? "").toLowerCase();
  return {
    kind: "fast",
    head: {
      method: requestLine[1] as string,
      target: requestLine[2] as string,
      rawHeaders,
      headers,
      close: /(?:^|,)\s*close\s*(?:,|$)/.test(connection),
      length: end + 4,
    },
  };
}
