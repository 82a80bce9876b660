import { join } from "node:path";
import type pino from "pino";
import type { DropLedger } from "./drop-ledger";
import { readSegment, type SegmentContents } from "./read-segment";
import { type AckKind, encodeAckRecord } from "./record-codec";
import type { Segment } from "./segment";
import { eventsFileName, type Lane, parseSegmentFileName, type SegmentName } from "./segment-names";
import type { SpoolFileSystem } from "./spool-file-system";

/** The files of one segment found in the spool directory. */
export interface FoundSegment extends SegmentName {
  eventsFile: string | null;
  acksFile: string | null;
}

/**
 * Every file operation on segments: create, append, read back, ack, seal, remove. Reading is
 * where damage is found, and it is never skipped silently: each damaged record is counted as
 * dropped (drops.json, reported to the gateway in a `spool_dropped` frame), marked in the
 * segment's acks so it is counted once, and logged with the segment's file name.
 */
export class SegmentStore {
  constructor(
    readonly fs: SpoolFileSystem,
    readonly dir: string,
    private readonly drops: DropLedger,
    private readonly log: pino.Logger | undefined,
  ) {}

  /** The segments in the directory, oldest first. */
  async list(): Promise<FoundSegment[]> {
    const bySegment = new Map<string, FoundSegment>();
    for (const fileName of await this.fs.readdir(this.dir)) {
      const parsed = parseSegmentFileName(fileName);
      if (!parsed) continue;
      const key = `${parsed.seq}.${parsed.lane}.${parsed.version}`;
      const found = bySegment.get(key) ?? {
        seq: parsed.seq,
        lane: parsed.lane,
        version: parsed.version,
        sealedRecords: null,
        eventsFile: null,
        acksFile: null,
      };
      if (parsed.kind === "acks") found.acksFile = fileName;
      else {
        found.eventsFile = fileName;
        found.sealedRecords = parsed.sealedRecords;
      }
      bySegment.set(key, found);
    }
    return [...bySegment.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Opens a new segment's file; its name is durable before any event in it counts as written. */
  async create(segment: Segment): Promise<void> {
    segment.handle = await this.fs.open(this.path(segment.eventsFile), "ax");
    await this.fs.syncDirectory(this.dir);
  }

  /** Writes all of `data` at the end of the active segment and makes it durable. */
  async append(segment: Segment, data: Buffer): Promise<void> {
    const handle = segment.handle;
    if (!handle) throw new Error("segment is not open for appending");
    let offset = 0;
    // write(2) may write less than asked (a full disk, say): loop until all of it is written.
    while (offset < data.length) {
      const { bytesWritten } = await handle.write(data, offset, data.length - offset);
      if (bytesWritten === 0) throw new Error("the disk accepted no bytes");
      offset += bytesWritten;
    }
    await handle.datasync();
  }

  /** Reads a segment back, counting, marking and logging records found damaged for the first time. */
  async read(segment: Segment): Promise<SegmentContents> {
    const contents = await readSegment(this.fs, this.dir, segment, segment.salt);
    segment.eventBytes = contents.eventBytes;
    segment.ackBytes = contents.ackBytes;
    segment.acksEndMidLine = contents.acksEndMidLine;
    const damaged = contents.missing.length;
    if (damaged > 0) {
      await this.drops.addDamaged(damaged);
      this.log?.warn(
        { segment: segment.eventsFile, damaged, unreadableLines: contents.unreadableLines },
        "damaged events in the spool: counted as dropped and reported to the gateway",
      );
      await this.recordAcks(segment, "d", contents.missing);
    } else if (contents.unreadableLines > 0) {
      this.log?.warn(
        { segment: segment.eventsFile, unreadableLines: contents.unreadableLines },
        "unreadable lines in a spool segment (every event it holds was read)",
      );
    }
    return contents;
  }

  /**
   * Marks records done: acked by the gateway ("a") or counted as damaged ("d"). Not fsynced: a
   * lost ack only makes the gateway see a duplicate, a lost mark counts a damaged record twice.
   */
  async recordAcks(segment: Segment, kind: AckKind, records: readonly number[]): Promise<void> {
    let text = records
      .map((record) =>
        segment.version === 1 ? `${record}\n` : encodeAckRecord(segment.salt, kind, record),
      )
      .join("");
    if (segment.acksEndMidLine) text = `\n${text}`;
    try {
      await this.fs.appendFile(this.path(segment.acksFile), text);
      segment.acksEndMidLine = false;
      segment.ackBytes += Buffer.byteLength(text);
    } catch (error) {
      this.log?.warn(
        { err: error, segment: segment.eventsFile, kind },
        kind === "a"
          ? "could not record acks; those events will be resent"
          : "could not mark damaged events; they will be counted again",
      );
    }
  }

  /**
   * Puts the record count into a version-2 segment's name: from then on, records truncated or
   * damaged away are counted, whatever happens to the file's content.
   */
  async seal(segment: Segment): Promise<void> {
    if (segment.version === 1 || segment.sealedRecords !== null) return;
    const sealedName = eventsFileName({ ...nameOf(segment), sealedRecords: segment.records });
    try {
      await this.fs.rename(this.path(segment.eventsFile), this.path(sealedName));
      segment.sealedRecords = segment.records;
    } catch (error) {
      this.log?.warn({ err: error, segment: segment.eventsFile }, "could not seal a segment");
    }
  }

  async closeHandle(segment: Segment): Promise<void> {
    const handle = segment.handle;
    segment.handle = null;
    await handle?.close().catch(() => {});
  }

  async remove(segment: Segment): Promise<void> {
    await this.closeHandle(segment);
    // Events first: if we die in between, an orphan acks file is cleaned at the next open, while
    // the other order could resurrect acked events (harmless, but resent).
    await this.unlinkIfPresent(segment.eventsFile);
    await this.unlinkIfPresent(segment.acksFile);
  }

  async unlinkIfPresent(fileName: string): Promise<void> {
    try {
      await this.fs.unlink(this.path(fileName));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }

  async eventsFileSize(segment: Segment): Promise<number> {
    return (await this.fs.stat(this.path(segment.eventsFile))).size;
  }

  private path(fileName: string): string {
    return join(this.dir, fileName);
  }
}

function nameOf(segment: Segment): { seq: number; lane: Lane; version: number } {
  return { seq: segment.seq, lane: segment.lane, version: segment.version };
}
