import { crc32 } from "node:zlib";
import type { Lane } from "./segment-names";

// Version 2 records, one per line:
//   events: `<crc> <record> <event JSON>`, e.g. `5c1e07a2 17 {"id":"…",…}`
//   acks:   `<crc> a <record>` (acked by the gateway) or `<crc> d <record>` (damaged, counted)
// <crc> is CRC32 (node:zlib), 8 lowercase hex digits, over the bytes after the space, seeded with
// the CRC of the segment's `<seq>.<lane>`: a record copied into another segment fails it too.
// <record> numbers the segment's records from 0; acks name records, not line positions, so lines
// out of order are still acked right. CRC32 finds every burst error up to 32 bits and all but
// 2^-32 of the rest, which is what disk and copy damage looks like; a cryptographic hash would
// cost more per event and protect against nothing a local attacker could not do anyway.

const CRC_DIGITS = 8;
const NEWLINE = 0x0a;
const SPACE = 0x20;

/** The CRC seed of a segment's records. */
export function segmentSalt(seq: number, lane: Lane): number {
  return crc32(`${seq}.${lane}`);
}

function checksum(salt: number, body: string | Buffer): string {
  return crc32(body, salt).toString(16).padStart(CRC_DIGITS, "0");
}

export function encodeEventRecord(salt: number, record: number, json: string): string {
  const body = `${record} ${json}`;
  return `${checksum(salt, body)} ${body}\n`;
}

export type AckKind = "a" | "d";

export function encodeAckRecord(salt: number, kind: AckKind, record: number): string {
  const body = `${kind} ${record}`;
  return `${checksum(salt, body)} ${body}\n`;
}

/** The body of a line whose checksum holds, or null (damaged, torn, or not a record at all). */
function verifiedBody(salt: number, line: Buffer): Buffer | null {
  if (line.length < CRC_DIGITS + 2 || line[CRC_DIGITS] !== SPACE) return null;
  const body = line.subarray(CRC_DIGITS + 1);
  return line.toString("latin1", 0, CRC_DIGITS) === checksum(salt, body) ? body : null;
}

function recordNumber(text: string): number | null {
  if (!/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

export function decodeEventRecord(
  salt: number,
  line: Buffer,
): { record: number; json: string } | null {
  const body = verifiedBody(salt, line);
  if (!body) return null;
  const space = body.indexOf(SPACE);
  if (space < 0) return null;
  const record = recordNumber(body.toString("latin1", 0, space));
  return record === null ? null : { record, json: body.toString("utf8", space + 1) };
}

export function decodeAckRecord(
  salt: number,
  line: Buffer,
): { kind: AckKind; record: number } | null {
  const body = verifiedBody(salt, line)?.toString("latin1");
  const match = body ? /^([ad]) (\d{1,15})$/.exec(body) : null;
  if (!match) return null;
  return { kind: match[1] as AckKind, record: Number(match[2]) };
}

/**
 * The lines of a file: every newline-terminated one, then the unterminated tail, if any, marked
 * `torn` (a write cut short by a crash, or a truncated file).
 */
export function splitLines(data: Buffer): { line: Buffer; torn: boolean }[] {
  const lines: { line: Buffer; torn: boolean }[] = [];
  let start = 0;
  while (start < data.length) {
    const end = data.indexOf(NEWLINE, start);
    if (end < 0) {
      lines.push({ line: data.subarray(start), torn: true });
      break;
    }
    lines.push({ line: data.subarray(start, end), torn: false });
    start = end + 1;
  }
  return lines;
}
