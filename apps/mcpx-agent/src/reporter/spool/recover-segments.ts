import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { Segment } from "./segment";
import {
  listSegmentFiles,
  readSegment,
  removeSegmentFiles,
  unlinkIfPresent,
} from "./segment-files";

export interface RecoveredSegments {
  /** Segments with unacked events, oldest first, all sealed and not loaded into memory. */
  segments: Segment[];
  /** The sequence number the next new segment takes. */
  nextSeq: number;
  /** Torn lines (a crash mid-write) skipped while reading. */
  unreadable: number;
}

/**
 * What a previous run left in a spool directory: segments still holding unacked events are kept
 * (sealed: nothing is ever appended after a torn line), fully acked or empty ones and leftover
 * temporary files are removed.
 */
export async function recoverSegments(dir: string): Promise<RecoveredSegments> {
  const segments: Segment[] = [];
  let unreadable = 0;
  let maxSeq = -1;
  for (const files of await listSegmentFiles(dir)) {
    maxSeq = Math.max(maxSeq, files.seq);
    if (!files.hasEvents) {
      await removeSegmentFiles(dir, files.seq, files.lane);
      continue;
    }
    const contents = await readSegment(dir, files.seq, files.lane);
    unreadable += contents.unreadable;
    if (contents.unacked.length === 0) {
      await removeSegmentFiles(dir, files.seq, files.lane);
      continue;
    }
    const segment = new Segment(dir, files.seq, files.lane);
    segment.sealed = true;
    segment.live = contents.unacked.length;
    segment.eventBytes = contents.eventBytes;
    segment.ackBytes = contents.ackBytes;
    segments.push(segment);
  }
  for (const name of await readdir(dir)) {
    if (name.endsWith(".tmp")) await unlinkIfPresent(join(dir, name));
  }
  return { segments, nextSeq: maxSeq + 1, unreadable };
}
