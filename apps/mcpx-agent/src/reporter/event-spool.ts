import { appendFile, mkdir, open, stat } from "node:fs/promises";
import { type TAgentEvent, toStorableEvent } from "@lunar/shared";
import type pino from "pino";
import { fsyncDirectory } from "./fsync-directory";
import { DropLedger } from "./spool/drop-ledger";
import { recoverSegments } from "./spool/recover-segments";
import { Segment, type SpoolEntry } from "./spool/segment";
import { LANES, type Lane, readSegment, removeSegmentFiles, writeAll } from "./spool/segment-files";
import { SerialQueue } from "./spool/serial-queue";
import { SpoolLock } from "./spool/spool-lock";

// The agent's disk spool: every event is written here (and fsynced) before it may be sent, and
// deleted only once the gateway acked it. Format, fsync policy and what a crash can lose are in
// README.md next to this file.

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
}

export interface SpoolStats {
  /** Events on disk not yet acked (in flight included). */
  events: number;
  /** Disk used by segment files. */
  bytes: number;
  /** Events dropped since the spool was created (full spool, or too big to send). */
  dropped: number;
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
    private readonly dir: string,
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
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const lock = await SpoolLock.acquire(dir);
    try {
      const drops = await DropLedger.open(dir);
      const spool = new EventSpool(
        dir,
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
    const linesBySegment = new Map<Segment, number[]>();
    for (const id of ids) {
      const refs = this.inFlight.get(id);
      if (!refs) continue;
      this.inFlight.delete(id);
      for (const { segment, entry } of refs) {
        entry.state = "done";
        segment.inFlight--;
        segment.live--;
        const lines = linesBySegment.get(segment) ?? [];
        lines.push(entry.line);
        linesBySegment.set(segment, lines);
      }
    }
    if (linesBySegment.size === 0) return Promise.resolve();
    return this.queue.run(async () => {
      for (const [segment, lines] of linesBySegment) {
        if (segment.deleted) continue;
        if (segment.sealed && segment.live === 0) await this.deleteSegment(segment);
        else await this.recordAcks(segment, lines);
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
   * Writes what is staged and lets go of the directory. Events in flight are not acked: the
   * next open sends them again.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flushed();
    this.closed = true;
    await this.queue.run(async () => {
      for (const segment of this.allSegments()) await this.closeHandle(segment);
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
    const data = Buffer.from(items.map((item) => `${item.json}\n`).join(""));
    try {
      if (!segment.handle) throw new Error("segment is not open for appending");
      await writeAll(segment.handle, data);
      await segment.handle.datasync();
    } catch (error) {
      await this.failWrite(items, error as Error);
      // What is on disk may end mid-line: seal the file so nothing is ever appended after it.
      segment.eventBytes = await stat(segment.eventsPath).then(
        (info) => info.size,
        () => segment.eventBytes,
      );
      await this.seal(segment);
      return;
    }
    const entries = segment.entries ?? [];
    segment.entries = entries;
    for (const item of items) {
      entries.push({
        line: segment.lines++,
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
    const segment = new Segment(this.dir, this.nextSeq++, lane);
    segment.handle = await open(segment.eventsPath, "ax", 0o600);
    // The new file's name must be durable before events written to it count as durable.
    await fsyncDirectory(this.dir);
    segment.entries = [];
    segments.push(segment);
    return segment;
  }

  private async seal(segment: Segment): Promise<void> {
    segment.sealed = true;
    await this.closeHandle(segment);
    if (segment.live === 0 && !segment.deleted) await this.deleteSegment(segment);
  }

  private async recordAcks(segment: Segment, lines: number[]): Promise<void> {
    const text = lines.map((line) => `${line}\n`).join("");
    try {
      // Not fsynced: an ack lost to a power cut only makes the gateway see a duplicate.
      await appendFile(segment.acksPath, text, { mode: 0o600 });
      segment.ackBytes += Buffer.byteLength(text);
    } catch (error) {
      this.log?.warn({ err: error }, "could not record acks; those events will be resent");
    }
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
    for (const segment of this.segmentsOf(lane)) {
      if (segment.pending <= 0) continue;
      if (!segment.entries) await this.loadSegment(segment);
      const entry = segment.firstPending();
      if (entry) return { segment, entry };
    }
    return null;
  }

  private async loadSegment(segment: Segment): Promise<void> {
    const contents = await readSegment(this.dir, segment.seq, segment.lane);
    segment.load(contents.unacked);
    segment.eventBytes = contents.eventBytes;
    segment.ackBytes = contents.ackBytes;
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
    const { segments, nextSeq, unreadable } = await recoverSegments(this.dir);
    for (const segment of segments) this.segmentsOf(segment.lane).push(segment);
    this.nextSeq = nextSeq;
    if (unreadable > 0) {
      this.log?.warn({ lines: unreadable }, "skipped torn lines left in the spool by a crash");
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
    await this.closeHandle(segment);
    segment.unload();
    await removeSegmentFiles(this.dir, segment.seq, segment.lane);
  }

  private async closeHandle(segment: Segment): Promise<void> {
    const handle = segment.handle;
    segment.handle = null;
    await handle?.close().catch(() => {});
  }

  private segmentsOf(lane: Lane): Segment[] {
    return this.lanes.get(lane) as Segment[];
  }

  private allSegments(): Segment[] {
    return LANES.flatMap((lane) => this.segmentsOf(lane));
  }
}
