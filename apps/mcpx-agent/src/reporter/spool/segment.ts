import type { StoredRecord } from "./read-segment";
import { segmentSalt } from "./record-codec";
import {
  acksFileName,
  CURRENT_SEGMENT_VERSION,
  eventsFileName,
  type Lane,
  type SegmentName,
} from "./segment-names";
import type { SpoolFile } from "./spool-file-system";

export type EntryState = "pending" | "inFlight" | "done";

/** An event of a loaded segment. `record` is its number in the segment, which acks name. */
export interface SpoolEntry extends StoredRecord {
  state: EntryState;
  /** Position in the segment's `entries`, to move the cursor back on release. */
  index: number;
}

/**
 * One segment's bookkeeping. Only counts are kept for segments nobody is reading; `entries` is
 * loaded for the segment being sent from, segments with events in flight, and the one being
 * appended to, which keeps memory bounded whatever the spool's size.
 */
export class Segment implements SegmentName {
  readonly salt: number;
  /** Size of the events file and of the acks file on disk. */
  eventBytes = 0;
  ackBytes = 0;
  /** Records in the segment: written so far while it is appended to, then what it holds. */
  records = 0;
  /** Set once its events file carries its record count in its name (version 2). */
  sealedRecords: number | null = null;
  /** The acks file ends mid-line (a torn append): the next append starts a new line. */
  acksEndMidLine = false;
  /** Events not acked, including those in flight. */
  live = 0;
  inFlight = 0;
  /** Nothing is appended any more (set in memory, even if renaming the file failed). */
  sealed = false;
  deleted = false;
  entries: SpoolEntry[] | null = null;
  /** No pending entry sits before this index. */
  cursor = 0;
  /** Open for appending while this is its lane's active segment. */
  handle: SpoolFile | null = null;

  constructor(
    readonly seq: number,
    readonly lane: Lane,
    readonly version: number = CURRENT_SEGMENT_VERSION,
  ) {
    this.salt = segmentSalt(seq, lane);
  }

  get eventsFile(): string {
    return eventsFileName(this);
  }

  get acksFile(): string {
    return acksFileName(this);
  }

  get diskBytes(): number {
    return this.eventBytes + this.ackBytes;
  }

  get pending(): number {
    return this.live - this.inFlight;
  }

  /** The first pending entry at or after the cursor (the segment must be loaded). */
  firstPending(): SpoolEntry | null {
    const entries = this.entries ?? [];
    while (this.cursor < entries.length) {
      const entry = entries[this.cursor];
      if (entry?.state === "pending") return entry;
      this.cursor++;
    }
    return null;
  }

  load(unacked: StoredRecord[]): void {
    this.entries = unacked.map((stored, index) => ({ ...stored, state: "pending", index }));
    this.live = unacked.length;
    this.cursor = 0;
  }

  unload(): void {
    this.entries = null;
    this.cursor = 0;
  }
}
