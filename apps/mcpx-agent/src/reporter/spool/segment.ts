import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { acksFileName, eventsFileName, type Lane, type StoredLine } from "./segment-files";

export type EntryState = "pending" | "inFlight" | "done";

/** An event of a loaded segment. `line` is its position in the file, which acks refer to. */
export interface SpoolEntry extends StoredLine {
  state: EntryState;
  /** Position in the segment's `entries`, to move the cursor back on release. */
  index: number;
}

/**
 * One segment's bookkeeping. Only counts are kept for segments nobody is reading; `entries` is
 * loaded for the segment being sent from, segments with events in flight, and the one being
 * appended to, which keeps memory bounded whatever the spool's size.
 */
export class Segment {
  /** Size of the events file and of the acks file on disk. */
  eventBytes = 0;
  ackBytes = 0;
  /** Lines in the events file (appends continue the count; meaningful for the active segment). */
  lines = 0;
  /** Events not acked, including those in flight. */
  live = 0;
  inFlight = 0;
  sealed = false;
  deleted = false;
  entries: SpoolEntry[] | null = null;
  /** No pending entry sits before this index. */
  cursor = 0;
  /** Open for appending while this is its lane's active segment. */
  handle: FileHandle | null = null;

  constructor(
    readonly dir: string,
    readonly seq: number,
    readonly lane: Lane,
  ) {}

  get eventsPath(): string {
    return join(this.dir, eventsFileName(this.seq, this.lane));
  }

  get acksPath(): string {
    return join(this.dir, acksFileName(this.seq, this.lane));
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

  load(unacked: StoredLine[]): void {
    this.entries = unacked.map((line, index) => ({ ...line, state: "pending", index }));
    this.live = unacked.length;
    this.cursor = 0;
  }

  unload(): void {
    this.entries = null;
    this.cursor = 0;
  }
}
