import { join } from "node:path";
import { decodeAckRecord, decodeEventRecord, splitLines } from "./record-codec";
import { acksFileName, eventsFileName, type SegmentName } from "./segment-names";
import type { SpoolFileSystem } from "./spool-file-system";

/** One event as read back. `record` is its number in the segment, which acks name. */
export interface StoredRecord {
  record: number;
  id: string;
  ts: number;
  json: string;
  /** The event's JSON plus a newline: what it weighs in a frame. */
  bytes: number;
}

export interface SegmentContents {
  /** Readable records not acked or marked, by record number. */
  unacked: StoredRecord[];
  /**
   * Records the segment holds that are neither readable nor marked done: damaged (bad checksum,
   * torn, truncated away, not JSON, not an event) and not counted yet.
   */
  missing: number[];
  /** How many records the segment holds: from its name once sealed, otherwise inferred. */
  records: number;
  eventBytes: number;
  ackBytes: number;
  /** The acks file ends mid-line (a torn append): the next append must start a new line. */
  acksEndMidLine: boolean;
  /** Lines that are not a readable record, garbage and duplicates included (for the log). */
  unreadableLines: number;
}

/**
 * Reads a segment back and accounts for every record it should hold: each is readable, done
 * (acked or already counted), or missing. A sealed v2 segment's name says how many it holds. For
 * one never sealed (the process died) that is one past the highest readable record plus every
 * unreadable line after it, so a torn last write counts as lost; a v1 segment holds one record
 * per line, a torn last line included.
 */
export async function readSegment(
  fs: SpoolFileSystem,
  dir: string,
  name: SegmentName,
  salt: number,
): Promise<SegmentContents> {
  const events = await fs.readFile(join(dir, eventsFileName(name)));
  const acks = await readOptional(fs, join(dir, acksFileName(name)));
  const done = new Set<number>();
  for (const { line, torn } of splitLines(acks)) {
    if (torn) continue;
    const record = name.version === 1 ? plainNumber(line) : decodeAckRecord(salt, line)?.record;
    if (record !== undefined && record !== null) done.add(record);
  }

  const readable = new Map<number, StoredRecord>();
  let unreadableLines = 0;
  let trailingUnreadable = 0;
  let highest = -1;
  const lines = splitLines(events);
  lines.forEach(({ line, torn }, position) => {
    const found = torn ? null : readRecord(name, salt, line, position);
    if (found && !readable.has(found.record)) {
      readable.set(found.record, found);
      highest = Math.max(highest, found.record);
      trailingUnreadable = 0;
    } else {
      unreadableLines++;
      trailingUnreadable++;
    }
  });

  let records: number;
  if (name.version === 1) records = lines.length;
  else if (name.sealedRecords !== null) records = name.sealedRecords;
  else records = highest + 1 + trailingUnreadable;

  const unacked: StoredRecord[] = [];
  const missing: number[] = [];
  for (let record = 0; record < records; record++) {
    if (done.has(record)) continue;
    const stored = readable.get(record);
    if (stored) unacked.push(stored);
    else missing.push(record);
  }
  return {
    unacked,
    missing,
    records,
    eventBytes: events.length,
    ackBytes: acks.length,
    acksEndMidLine: acks.length > 0 && acks[acks.length - 1] !== 0x0a,
    unreadableLines,
  };
}

function readRecord(
  name: SegmentName,
  salt: number,
  line: Buffer,
  position: number,
): StoredRecord | null {
  const decoded =
    name.version === 1
      ? { record: position, json: line.toString("utf8") }
      : decodeEventRecord(salt, line);
  if (!decoded) return null;
  if (name.sealedRecords !== null && decoded.record >= name.sealedRecords) return null;
  const identity = eventIdentity(decoded.json);
  if (!identity) return null;
  return { ...decoded, ...identity, bytes: Buffer.byteLength(decoded.json) + 1 };
}

/** What the spool keys on, or null for text that is not an event (not JSON, or no id/ts/type). */
function eventIdentity(json: string): { id: string; ts: number } | null {
  try {
    const value = JSON.parse(json) as { id?: unknown; ts?: unknown; type?: unknown } | null;
    if (typeof value !== "object" || value === null) return null;
    if (typeof value.id !== "string" || typeof value.ts !== "number") return null;
    if (value.type !== "tool_call" && value.type !== "http_call") return null;
    return { id: value.id, ts: value.ts };
  } catch {
    return null;
  }
}

function plainNumber(line: Buffer): number | null {
  const text = line.toString("latin1");
  return /^\d{1,15}$/.test(text) ? Number(text) : null;
}

async function readOptional(fs: SpoolFileSystem, path: string): Promise<Buffer> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return Buffer.alloc(0);
    throw error;
  }
}
