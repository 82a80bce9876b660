/**
 * Blocked outbound calls (the evidence that a flow rule fired) live in segments of their own, so
 * that when the spool is full they can be dropped last without rewriting any file.
 */
export type Lane = "normal" | "blocked";
export const LANES: readonly Lane[] = ["blocked", "normal"];

/**
 * The on-disk format of a segment, part of its file name:
 *   1 (agents before checksums): `000000000042.normal.events`, one event JSON per line, and
 *     `000000000042.normal.acks`, the 0-based line numbers of acked events. Still read, never
 *     written: an upgraded agent sends what an older one left and then deletes it.
 *   2: `000000000042.normal.v2.events` while it is being written, renamed to
 *     `000000000042.normal.v2.<records>.events` when sealed, so the number of records it must
 *     hold survives any damage to its content; acks in `000000000042.normal.v2.acks`.
 * Segments of a later version (an agent downgraded) are left alone.
 */
export type SegmentVersion = 1 | 2;
export const CURRENT_SEGMENT_VERSION: SegmentVersion = 2;

export interface SegmentName {
  seq: number;
  lane: Lane;
  version: number;
  /** How many records a sealed segment holds (version 2 only); null while open or for v1. */
  sealedRecords: number | null;
}

const SEGMENT_FILE = /^(\d{12})\.(normal|blocked)(?:\.v(\d+)(?:\.(\d+))?)?\.(events|acks)$/;

function prefix(seq: number, lane: Lane): string {
  return `${String(seq).padStart(12, "0")}.${lane}`;
}

export function eventsFileName(name: SegmentName): string {
  if (name.version === 1) return `${prefix(name.seq, name.lane)}.events`;
  const sealed = name.sealedRecords === null ? "" : `.${name.sealedRecords}`;
  return `${prefix(name.seq, name.lane)}.v${name.version}${sealed}.events`;
}

export function acksFileName(name: Pick<SegmentName, "seq" | "lane" | "version">): string {
  const version = name.version === 1 ? "" : `.v${name.version}`;
  return `${prefix(name.seq, name.lane)}${version}.acks`;
}

/** What a file name in the spool directory says, or null for anything that is not a segment. */
export function parseSegmentFileName(
  fileName: string,
): (SegmentName & { kind: "events" | "acks" }) | null {
  const match = SEGMENT_FILE.exec(fileName);
  if (!match) return null;
  const [, seq, lane, version, records, kind] = match;
  if (kind === "acks" && records !== undefined) return null;
  return {
    seq: Number(seq),
    lane: lane as Lane,
    version: version === undefined ? 1 : Number(version),
    sealedRecords: records === undefined ? null : Number(records),
    kind: kind as "events" | "acks",
  };
}
