import { Segment } from "./segment";
import { CURRENT_SEGMENT_VERSION } from "./segment-names";
import type { SegmentStore } from "./segment-store";

export interface RecoveredSegments {
  /** Segments with unacked events, oldest first, all sealed and not loaded into memory. */
  segments: Segment[];
  /** The sequence number the next new segment takes. */
  nextSeq: number;
  /** Segment files of a later format (a downgraded agent), left as they are. */
  skipped: string[];
}

/**
 * What a previous run left in a spool directory: every segment is read (damaged records are
 * counted there) and sealed, those still holding unacked events are kept (nothing is ever
 * appended after a torn line), fully acked or empty ones and leftover temporary files are
 * removed.
 */
export async function recoverSegments(store: SegmentStore): Promise<RecoveredSegments> {
  const segments: Segment[] = [];
  const skipped: string[] = [];
  let maxSeq = -1;
  for (const found of await store.list()) {
    maxSeq = Math.max(maxSeq, found.seq);
    if (found.version > CURRENT_SEGMENT_VERSION) {
      for (const file of [found.eventsFile, found.acksFile]) if (file) skipped.push(file);
      continue;
    }
    if (!found.eventsFile) {
      if (found.acksFile) await store.unlinkIfPresent(found.acksFile);
      continue;
    }
    const segment = new Segment(found.seq, found.lane, found.version);
    segment.sealedRecords = found.sealedRecords;
    segment.sealed = true;
    const contents = await store.read(segment);
    segment.records = contents.records;
    // A segment its writer never sealed (it died) gets the record count it was read with.
    await store.seal(segment);
    if (contents.unacked.length === 0) {
      await store.remove(segment);
      continue;
    }
    segment.live = contents.unacked.length;
    segments.push(segment);
  }
  for (const name of await store.fs.readdir(store.dir)) {
    if (name.endsWith(".tmp")) await store.unlinkIfPresent(name);
  }
  return { segments, nextSeq: maxSeq + 1, skipped };
}
