import type { FileHandle } from "node:fs/promises";
import { readdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";

/**
 * Blocked outbound calls (the evidence that a flow rule fired) live in segments of their own, so
 * that when the spool is full they can be dropped last without rewriting any file.
 */
export type Lane = "normal" | "blocked";
export const LANES: readonly Lane[] = ["blocked", "normal"];

// `000000000042.normal.events`: the events, one JSON object per line, append-only.
// `000000000042.normal.acks`: line numbers (0-based) of acked events, one per line, append-only.
const SEGMENT_FILE = /^(\d{12})\.(normal|blocked)\.(events|acks)$/;

export function eventsFileName(seq: number, lane: Lane): string {
  return `${String(seq).padStart(12, "0")}.${lane}.events`;
}

export function acksFileName(seq: number, lane: Lane): string {
  return `${String(seq).padStart(12, "0")}.${lane}.acks`;
}

export interface SegmentFileSet {
  seq: number;
  lane: Lane;
  hasEvents: boolean;
  hasAcks: boolean;
}

/** The segments in a spool directory, oldest first. */
export async function listSegmentFiles(dir: string): Promise<SegmentFileSet[]> {
  const bySegment = new Map<string, SegmentFileSet>();
  for (const name of await readdir(dir)) {
    const match = SEGMENT_FILE.exec(name);
    if (!match) continue;
    const [, seqText, lane, kind] = match as unknown as [string, string, Lane, "events" | "acks"];
    const key = `${seqText}.${lane}`;
    const set = bySegment.get(key) ?? {
      seq: Number(seqText),
      lane,
      hasEvents: false,
      hasAcks: false,
    };
    if (kind === "events") set.hasEvents = true;
    else set.hasAcks = true;
    bySegment.set(key, set);
  }
  return [...bySegment.values()].sort((a, b) => a.seq - b.seq);
}

/** One event line as read back: its position in the file is what an ack refers to. */
export interface StoredLine {
  line: number;
  id: string;
  ts: number;
  json: string;
  bytes: number;
}

export interface SegmentContents {
  /** Lines not yet acked, in file order. */
  unacked: StoredLine[];
  eventBytes: number;
  ackBytes: number;
  /** Lines that were not a whole event: a write torn by a crash (only ever the last one). */
  unreadable: number;
}

/**
 * Reads a segment back. A line without its terminating newline was being written when the
 * process died: it is skipped, like any line that does not parse as an event with an id.
 */
export async function readSegment(dir: string, seq: number, lane: Lane): Promise<SegmentContents> {
  const events = await readFile(join(dir, eventsFileName(seq, lane)));
  const acks = await readOptional(join(dir, acksFileName(seq, lane)));
  const acked = new Set<number>();
  for (const text of completeLines(acks.toString("utf8"))) {
    const line = Number(text);
    if (Number.isInteger(line) && line >= 0) acked.add(line);
  }
  const unacked: StoredLine[] = [];
  let unreadable = 0;
  const lines = completeLines(events.toString("utf8"));
  if (!endsWithNewline(events)) unreadable++;
  lines.forEach((json, line) => {
    const parsed = eventIdentity(json);
    if (parsed === null) unreadable++;
    else if (!acked.has(line)) {
      unacked.push({ line, ...parsed, json, bytes: Buffer.byteLength(json) + 1 });
    }
  });
  return { unacked, eventBytes: events.length, ackBytes: acks.length, unreadable };
}

export async function removeSegmentFiles(dir: string, seq: number, lane: Lane): Promise<void> {
  // Events first: if we die in between, an orphan acks file is cleaned at the next open, while
  // the other order could resurrect acked events (harmless, but resent).
  await unlinkIfPresent(join(dir, eventsFileName(seq, lane)));
  await unlinkIfPresent(join(dir, acksFileName(seq, lane)));
}

export async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** write(2) may write less than asked (a full disk, say): loop until all of it is written. */
export async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    if (bytesWritten === 0) throw new Error("the disk accepted no bytes");
    offset += bytesWritten;
  }
}

/** Lines terminated by a newline; an unterminated tail is not a line yet. */
function completeLines(text: string): string[] {
  const pieces = text.split("\n");
  pieces.pop();
  return pieces;
}

function endsWithNewline(data: Buffer): boolean {
  return data.length === 0 || data[data.length - 1] === 0x0a;
}

function eventIdentity(json: string): { id: string; ts: number } | null {
  try {
    const value = JSON.parse(json) as { id?: unknown; ts?: unknown } | null;
    if (typeof value !== "object" || value === null || typeof value.id !== "string") return null;
    return { id: value.id, ts: typeof value.ts === "number" ? value.ts : 0 };
  } catch {
    return null;
  }
}

async function readOptional(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return Buffer.alloc(0);
    throw error;
  }
}
