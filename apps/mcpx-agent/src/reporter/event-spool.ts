import { type TAgentEvent, toStorableEvent } from "@lunar/shared";
import type pino from "pino";
import { DropLedger } from "./spool/drop-ledger";
import { encodeEventRecord } from "./spool/record-codec";
import { recoverSegments } from "./spool/recover-segments";
import { Segment, type SpoolEntry } from "./spool/segment";
import { LANES, type Lane } from "./spool/segment-names";
import { SegmentStore } from "./spool/segment-store";
import { SerialQueue } from "./spool/serial-queue";
import { nodeSpoolFileSystem, type SpoolFileSystem } from "./spool/spool-file-system";
import { SpoolLock } from "./spool/spool-lock";

// The agent's disk spool: every event is written here (and fsynced) before it may be sent, and
// deleted only once the gateway acked it. Format, fsync policy and what a crash can lose are in
// README.md next to this file. Over 400 lines on purpose: it is one state machine (append, send,
// ack, drop, recover) whose invariants span every method; its parts that stand alone (records,
// segments, the store, recovery, the drop ledger) already live in spool/.

export interface EventSpoolOptions {
  /** The spool's own directory (the agent uses `<stateDir>/spool`). */
  dir: string;
  /** Disk the spool may use; past it the oldest events are dropped, blocked calls last. */
  maxBytes: number;
  /** Size at which a segment is closed and a new one started (default: maxBytes/16, ≤ 1 MiB). */
  segmentBytes?: number;
  /** An event bigger than this could never be sent in a frame: refused and counted as dropped. */
  maxEventBytes?: number;
  log?: pino.Logger;
  /** The disk (default: node:fs); tests pass one that fails or corrupts. */
  fs?: SpoolFileSystem;
}

export interface SpoolStats {
  /** Events on disk not yet acked (in flight included). */
  events: number;
  /** Disk used by segment files. */
  bytes: number;
  /** Events dropped since the spool was created (full spool, too big to send, damaged on disk). */
  dropped: number;
  /** Of `dropped`, events whose record was found damaged on disk. */
  damaged: number;
  /** Dropped events the gateway has not been told about yet. */
  unreportedDrops: number;
  inFlight: number;
  /** Events held in memory (segments being sent from or appended to): bounded, not the spool. */
  loadedEvents: number;
}

export const DEFAULT_MAX_EVENT_BYTES = 64 * 1024;
const MAX_SEGMENT_BYTES = 1024 * 1024;
const MIN_SEGMENT_BYTES = 4 * 1024;

interface Staged {
  lane: Lane;
  id: string;
  ts: number;
  json: string;
  bytes: number;
  append: AppendWaiter;
}

interface AppendWaiter {
  resolve(): void;
  reject(error: Error): void;
  failure: Error | null;
}

interface InFlightRef {
  segment: Segment;
  entry: SpoolEntry;
}

export class EventSpool {
  private readonly lanes = new Map<Lane, Segment[]>(LANES.map((lane) => [lane, []]));
  private readonly inFlight = new Map<string, InFlightRef[]>();
  private readonly queue = new SerialQueue();
  private staged: Staged[] = [];
  private flushQueued = false;
  private closed = false;

  private constructor(
    private readonly store: SegmentStore,
    private readonly maxBytes: number,
    private readonly segmentBytes: number,
    private readonly maxEventBytes: number,
    private readonly drops: DropLedger,
    private readonly lock: SpoolLock,
    private nextSeq: number,
    private readonly log: pino.Logger | undefined,
  ) {}

  /**
   * Opens (or creates) the spool and takes its lock. Every segment left by a previous run is
   * sealed: new events always go to new files, so nothing is ever appended after a torn line.
   */
  static async open(options: EventSpoolOptions): Promise<EventSpool> {
    const { dir, maxBytes } = options;
    if (!(maxBytes > 0)) throw new Error("the spool's maxBytes must be positive");
    const segmentBytes =
      options.segmentBytes ??
      Math.max(MIN_SEGMENT_BYTES, Math.min(MAX_SEGMENT_BYTES, Math.floor(maxBytes / 16)));
    const fs = options.fs ?? nodeSpoolFileSystem;
    await fs.mkdir(dir);
    const lock = await SpoolLock.acquire(fs, dir);
    try {
      const drops = await DropLedger.open(fs, dir);
      const spool = new EventSpool(
        new SegmentStore(fs, dir, drops, options.log),
        maxBytes,
        segmentBytes,
        options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
        drops,
        lock,
        0,
        options.log,
      );
      await spool.recover();
      return spool;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /**
   * Resolves once the events are on disk (written and fsynced), after which they may be sent and
   * survive a crash. Appends made while a write is under way are written together by the next
   * one (group commit), so a burst costs one fsync, not one per event.
   */
  append(events: readonly TAgentEvent[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the spool is closed"));
    return new Promise<void>((resolve, reject) => {
      const waiter: AppendWaiter = { resolve, reject, failure: null };
      let tooBig = 0;
      for (const reported of events) {
        // The one place every spooled event passes: text a database cannot take (NUL, lone
        // surrogates, past the schema's limits) is repaired here, so no path can skip it.
        const event = toStorableEvent(reported);
        const json = JSON.stringify(event);
        const bytes = Buffer.byteLength(json) + 1;
        if (bytes > this.maxEventBytes) {
          tooBig++;
          continue;
        }
        const lane: Lane =
          event.type === "http_call" && event.decision === "blocked" ? "blocked" : "normal";
        this.staged.push({ lane, id: event.id, ts: event.ts, json, bytes, append: waiter });
      }
      if (tooBig > 0) {
        this.log?.warn({ count: tooBig, limit: this.maxEventBytes }, "events too big to send");
        this.runInBackground(() => this.drops.add(tooBig));
      }
      if (tooBig === events.length) resolve();
      else this.scheduleFlush();
    });
  }

  /**
   * The next events to send, oldest first (by event time across the two lanes), at most
   * `maxEvents` and at most `maxBytes` of JSON (one event always, so a big one is never stuck).
   * Taking marks them in flight: no later take returns them until `release`d; `ack` deletes them.
   */
  take(maxEvents: number, maxBytes = Number.POSITIVE_INFINITY): Promise<TAgentEvent[]> {
    return this.queue.run(async () => {
      const taken: SpoolEntry[] = [];
      let bytes = 0;
      while (taken.length < maxEvents) {
        const next = await this.nextPending();
        if (next === null) break;
        if (taken.length > 0 && bytes + next.entry.bytes > maxBytes) break;
        const { segment, entry } = next;
        entry.state = "inFlight";
        segment.inFlight++;
        const sameId = this.inFlight.get(entry.id);
        // A second copy of an event already in flight rides along with it instead of being sent.
        if (sameId) sameId.push(next);
        else {
          this.inFlight.set(entry.id, [next]);
          taken.push(entry);
          bytes += entry.bytes;
        }
      }
      this.unloadIdleSegments();
      return taken.map((entry) => JSON.parse(entry.json) as TAgentEvent);
    });
  }

  /** The gateway acked these (stored, duplicate or rejected alike): they are never sent again. */
  ack(ids: Iterable<string>): Promise<void> {
    const recordsBySegment = new Map<Segment, number[]>();
    for (const id of ids) {
      const refs = this.inFlight.get(id);
      if (!refs) continue;
      this.inFlight.delete(id);
      for (const { segment, entry } of refs) {
        entry.state = "done";
        segment.inFlight--;
        segment.live--;
        const records = recordsBySegment.get(segment) ?? [];
        records.push(entry.record);
        recordsBySegment.set(segment, records);
      }
    }
    if (recordsBySegment.size === 0) return Promise.resolve();
    return this.queue.run(async () => {
      for (const [segment, records] of recordsBySegment) {
        if (segment.deleted) continue;
        if (segment.sealed && segment.live === 0) await this.deleteSegment(segment);
        else await this.store.recordAcks(segment, "a", records);
      }
      this.unloadIdleSegments();
    });
  }

  /** Puts in-flight events back (the connection dropped before their ack): they are sent again. */
  release(ids: Iterable<string>): void {
    for (const id of ids) {
      const refs = this.inFlight.get(id);
      if (!refs) continue;
      this.inFlight.delete(id);
      for (const { segment, entry } of refs) {
        entry.state = "pending";
        segment.inFlight--;
        segment.cursor = Math.min(segment.cursor, entry.index);
      }
    }
  }

  stats(): SpoolStats {
    let events = 0;
    let bytes = 0;
    let loadedEvents = 0;
    for (const segment of this.allSegments()) {
      events += segment.live;
      bytes += segment.diskBytes;
      loadedEvents += segment.entries?.length ?? 0;
    }
    return {
      events,
      bytes,
      dropped: this.drops.total,
      damaged: this.drops.damaged,
      unreportedDrops: this.drops.unreported,
      inFlight: this.inFlight.size,
      loadedEvents,
    };
  }

  /** The gateway was told about `count` drops (its receipt arrived). */
  markDropsReported(count: number): Promise<void> {
    return this.queue.run(() => this.drops.markReported(count));
  }

  /** Resolves once every append made so far is on disk. */
  async flushed(): Promise<void> {
    while (this.staged.length > 0 || this.flushQueued) await this.queue.idle();
    await this.queue.idle();
  }

  /**
   * Writes what is staged, seals the segments being appended to and lets go of the directory.
   * Events in flight are not acked: the next open sends them again.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flushed();
    this.closed = true;
    await this.queue.run(async () => {
      for (const segment of this.allSegments()) {
        if (!segment.sealed && !segment.deleted) await this.seal(segment);
        await this.store.closeHandle(segment);
      }
    });
    await this.lock.release();
  }

  // ---- writing ----

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    this.runInBackground(async () => {
      this.flushQueued = false;
      await this.flush();
    });
  }

  /** Queued work nobody awaits: a failure is logged, never an unhandled rejection. */
  private runInBackground(task: () => Promise<void>): void {
    this.queue.run(task).catch((error) => this.log?.error({ err: error }, "event spool error"));
  }

  private async flush(): Promise<void> {
    const batch = this.staged;
    this.staged = [];
    try {
      for (const lane of LANES) {
        await this.writeLane(
          lane,
          batch.filter((item) => item.lane === lane),
        );
      }
    } finally {
      for (const waiter of new Set(batch.map((item) => item.append))) {
        if (waiter.failure) waiter.reject(waiter.failure);
        else waiter.resolve();
      }
    }
    await this.enforceBound();
    // While nothing is being sent (no gateway), sealed segments must not pile up in memory.
    this.unloadIdleSegments();
  }

  private async writeLane(lane: Lane, items: Staged[]): Promise<void> {
    let start = 0;
    while (start < items.length) {
      let segment: Segment;
      try {
        segment = await this.activeSegment(lane);
      } catch (error) {
        return this.failWrite(items.slice(start), error as Error);
      }
      const end = this.chunkEnd(segment, items, start);
      await this.writeChunk(segment, items.slice(start, end));
      start = end;
    }
  }

  /** Events that could not be written (a full or failing disk) are lost: count and say so. */
  private async failWrite(items: Staged[], error: Error): Promise<void> {
    this.log?.error({ err: error, events: items.length }, "could not write events to the spool");
    for (const item of items) item.append.failure = error;
    await this.drops.add(items.length).catch(() => {});
  }

  /** How many of `items` from `start` fit in the segment (at least one: a segment is never empty). */
  private chunkEnd(segment: Segment, items: Staged[], start: number): number {
    let end = start;
    let bytes = segment.eventBytes;
    while (end < items.length) {
      const item = items[end] as Staged;
      if (end > start && bytes + item.bytes > this.segmentBytes) break;
      bytes += item.bytes;
      end++;
    }
    return end;
  }

  private async writeChunk(segment: Segment, items: Staged[]): Promise<void> {
    const first = segment.records;
    const data = Buffer.from(
      items.map((item, i) => encodeEventRecord(segment.salt, first + i, item.json)).join(""),
    );
    try {
      await this.store.append(segment, data);
    } catch (error) {
      await this.failWrite(items, error as Error);
      // What is on disk may end mid-record: seal the file so nothing is ever appended after it.
      // Its name then says it holds only the records before this chunk (already counted).
      segment.eventBytes = await this.store.eventsFileSize(segment).catch(() => segment.eventBytes);
      await this.seal(segment);
      return;
    }
    const entries = segment.entries ?? [];
    segment.entries = entries;
    for (const item of items) {
      entries.push({
        record: segment.records++,
        id: item.id,
        ts: item.ts,
        json: item.json,
        bytes: item.bytes,
        state: "pending",
        index: entries.length,
      });
    }
    segment.live += items.length;
    segment.eventBytes += data.length;
    if (segment.eventBytes >= this.segmentBytes) await this.seal(segment);
  }

  private async activeSegment(lane: Lane): Promise<Segment> {
    const segments = this.segmentsOf(lane);
    const last = segments[segments.length - 1];
    if (last && !last.sealed) return last;
    const segment = new Segment(this.nextSeq++, lane);
    await this.store.create(segment);
    segment.entries = [];
    segments.push(segment);
    return segment;
  }

  private async seal(segment: Segment): Promise<void> {
    segment.sealed = true;
    await this.store.closeHandle(segment);
    if (segment.live === 0 && !segment.deleted) await this.deleteSegment(segment);
    else await this.store.seal(segment);
  }

  // ---- the bound ----

  /**
   * Past maxBytes, drops whole segments, oldest first: every other event before any blocked
   * call. Segments with events in flight are kept (their ack is on its way), so the bound can be
   * exceeded by what is in flight.
   */
  private async enforceBound(): Promise<void> {
    let dropped = 0;
    while (this.stats().bytes > this.maxBytes) {
      const victim = this.oldestDroppable("normal") ?? this.oldestDroppable("blocked");
      if (!victim) break;
      dropped += victim.live;
      await this.deleteSegment(victim);
    }
    if (dropped > 0) {
      this.log?.warn(
        { dropped, maxBytes: this.maxBytes },
        "event spool full: dropped the oldest events",
      );
      await this.drops.add(dropped);
    }
  }

  private oldestDroppable(lane: Lane): Segment | undefined {
    return this.segmentsOf(lane).find((segment) => segment.inFlight === 0 && segment.live > 0);
  }

  // ---- reading ----

  /** The oldest pending event across lanes, loading its segment from disk if needed. */
  private async nextPending(): Promise<InFlightRef | null> {
    let best: InFlightRef | null = null;
    for (const lane of LANES) {
      const candidate = await this.firstPendingOf(lane);
      if (candidate && (!best || candidate.entry.ts < best.entry.ts)) best = candidate;
    }
    return best;
  }

  private async firstPendingOf(lane: Lane): Promise<InFlightRef | null> {
    for (const segment of [...this.segmentsOf(lane)]) {
      if (segment.pending <= 0) continue;
      if (!segment.entries) await this.loadSegment(segment);
      const entry = segment.firstPending();
      if (entry) return { segment, entry };
    }
    return null;
  }

  private async loadSegment(segment: Segment): Promise<void> {
    // Damage done since the segment was last read is counted and reported here.
    const contents = await this.store.read(segment);
    segment.load(contents.unacked);
    if (segment.sealed && segment.live === 0) await this.deleteSegment(segment);
  }

  /** Keeps in memory only what is about to be sent, what is in flight and the active segments. */
  private unloadIdleSegments(): void {
    for (const lane of LANES) {
      let headSeen = false;
      for (const segment of this.segmentsOf(lane)) {
        const isHead = !headSeen && segment.pending > 0;
        if (segment.pending > 0) headSeen = true;
        if (segment.entries && segment.sealed && segment.inFlight === 0 && !isHead) {
          segment.unload();
        }
      }
    }
  }

  // ---- recovery and housekeeping ----

  private async recover(): Promise<void> {
    const { segments, nextSeq, skipped } = await recoverSegments(this.store);
    for (const segment of segments) this.segmentsOf(segment.lane).push(segment);
    this.nextSeq = nextSeq;
    if (skipped.length > 0) {
      this.log?.warn({ files: skipped }, "spool segments of a newer agent left untouched");
    }
    const { events, bytes } = this.stats();
    if (events > 0) this.log?.info({ events, bytes }, "event spool recovered unsent events");
    await this.enforceBound();
  }

  private async deleteSegment(segment: Segment): Promise<void> {
    segment.deleted = true;
    segment.sealed = true;
    const segments = this.segmentsOf(segment.lane);
    const index = segments.indexOf(segment);
    if (index >= 0) segments.splice(index, 1);
    segment.unload();
    await this.store.remove(segment);
  }

  private segmentsOf(lane: Lane): Segment[] {
    return this.lanes.get(lane) as Segment[];
  }

  private allSegments(): Segment[] {
    return LANES.flatMap((lane) => this.segmentsOf(lane));
  }
}
