import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TAgentEvent } from "@lunar/shared";
import { blockedCall, toolCall } from "@lunar/shared/testing";
import fc from "fast-check";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventSpool } from "./event-spool";
import type { SpoolFile } from "./spool/spool-file-system";
import { MemoryFileSystem } from "./testing/memory-file-system";

// The spool lives in a MemoryFileSystem; its path is under the temporary directory all the same.
const DIR = join(tmpdir(), "mcpx-memory-spool", "spool");

/** Damage as disks, copies and editors do it, aimed at a segment file picked by `file`. */
const arbitraryDamage = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), file: fc.nat(), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant("truncate" as const), file: fc.nat(), keep: fc.nat() }),
  fc.record({
    kind: fc.constant("garbage" as const),
    file: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 80 }),
  }),
  fc.record({ kind: fc.constant("swap" as const), file: fc.nat(), a: fc.nat(), b: fc.nat() }),
);
type Damage = typeof arbitraryDamage extends fc.Arbitrary<infer T> ? T : never;

function lines(data: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let end = data.indexOf(10); end >= 0; end = data.indexOf(10, start)) {
    parts.push(data.subarray(start, end + 1));
    start = end + 1;
  }
  if (start < data.length) parts.push(data.subarray(start));
  return parts;
}

function damage(data: Buffer, change: Damage): Buffer {
  const copy = Buffer.from(data);
  if (change.kind === "flip") {
    if (copy.length === 0) return copy;
    const at = change.at % copy.length;
    copy[at] = (copy[at] as number) ^ (1 << change.bit);
    return copy;
  }
  if (change.kind === "truncate") return copy.subarray(0, change.keep % (copy.length + 1));
  if (change.kind === "garbage") return Buffer.concat([copy, change.bytes]);
  const parts = lines(copy);
  if (parts.length < 2) return copy;
  const a = change.a % parts.length;
  const b = change.b % parts.length;
  [parts[a], parts[b]] = [parts[b] as Buffer, parts[a] as Buffer];
  return Buffer.concat(parts);
}

/** The spool's log, as objects: what a test can check warnings against. */
function capturedLog() {
  const entries: Record<string, unknown>[] = [];
  const log = pino({ level: "warn" }, { write: (line: string) => entries.push(JSON.parse(line)) });
  return { log, entries };
}

describe("event spool with damaged segment files", () => {
  it("never throws, delivers every intact record exactly as written, and counts every other one as dropped", {
    timeout: 120_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 8 }),
        fc.nat(20),
        fc.array(arbitraryDamage, { minLength: 1, maxLength: 6 }),
        async (batches, acks, damages) => {
          const fs = new MemoryFileSystem();
          const { log, entries } = capturedLog();
          const open = () =>
            EventSpool.open({ dir: DIR, maxBytes: 1 << 26, segmentBytes: 1_500, fs, log });
          let spool = await open();
          const written = new Map<string, TAgentEvent>();
          let ts = 0;
          for (const size of batches) {
            const events = Array.from({ length: size }, () =>
              ts % 5 === 4 ? blockedCall({ ts: ts++ }) : toolCall({ ts: ts++ }),
            );
            await spool.append(events);
            for (const event of events) written.set(event.id, event);
          }
          const acked = new Set((await spool.take(acks)).map((event) => event.id));
          await spool.ack(acked);
          await spool.close();

          // Which records are still whole lines of their file after the damage.
          const before = new Map(fs.files(DIR).map((name) => [name, fs.read(`${DIR}/${name}`)]));
          const segmentFiles = [...before.keys()].filter((name) => /\.(events|acks)$/.test(name));
          let acksDamaged = false;
          for (const change of segmentFiles.length > 0 ? damages : []) {
            const name = segmentFiles[change.file % segmentFiles.length] as string;
            acksDamaged ||= name.endsWith(".acks");
            fs.replace(`${DIR}/${name}`, damage(fs.read(`${DIR}/${name}`), change));
          }
          const intact = new Set<string>();
          for (const name of segmentFiles.filter((file) => file.endsWith(".events"))) {
            const now = new Set(lines(fs.read(`${DIR}/${name}`)).map((line) => line.toString()));
            for (const line of lines(before.get(name) as Buffer)) {
              const id = /"id":"([^"]+)"/.exec(line.toString())?.[1] as string;
              if (now.has(line.toString()) && !acked.has(id)) intact.add(id);
            }
          }

          spool = await open();
          const dropped = spool.stats().dropped;
          // Reopening counts nothing twice: damaged records were marked when counted.
          await spool.close();
          spool = await open();
          expect(spool.stats().dropped).toBe(dropped);

          const delivered = new Map<string, TAgentEvent>();
          for (;;) {
            const batch = await spool.take(25);
            if (batch.length === 0) break;
            for (const event of batch) {
              expect(delivered.has(event.id), "delivered twice").toBe(false);
              expect(event, "delivered as written").toEqual(written.get(event.id));
              delivered.set(event.id, event);
            }
            await spool.ack(batch.map((event) => event.id));
          }
          const stats = spool.stats();
          await spool.close();

          for (const id of intact) expect(delivered.has(id), `intact ${id} delivered`).toBe(true);
          const newlyDelivered = [...delivered.keys()].filter((id) => !acked.has(id)).length;
          if (!acksDamaged) {
            expect(newlyDelivered + stats.dropped).toBe(written.size - acked.size);
          } else {
            // Without its ack, an acked event is sent again (the gateway drops the duplicate),
            // or, if its record is damaged too, counted as dropped: too many, never too few.
            expect(newlyDelivered + stats.dropped).toBeGreaterThanOrEqual(
              written.size - acked.size,
            );
            expect(delivered.size + stats.dropped).toBeLessThanOrEqual(written.size);
          }
          expect(stats.damaged).toBe(stats.dropped);
          const warned = entries
            .filter((entry) => typeof entry.damaged === "number")
            .reduce((sum, entry) => sum + (entry.damaged as number), 0);
          expect(warned).toBe(stats.damaged);
        },
      ),
      { numRuns: 250 },
    );
  });
});

describe("event spool damage found while running", () => {
  it("counts a segment damaged after it was written when it is read to be sent, and deletes it once nothing is left in it", async () => {
    const fs = new MemoryFileSystem();
    const spool = await EventSpool.open({ dir: DIR, maxBytes: 1 << 20, segmentBytes: 1_000, fs });
    const events = Array.from({ length: 20 }, (_, ts) => toolCall({ ts }));
    await spool.append(events);
    // The oldest segment stays in memory (it is sent next); the second is only on disk.
    const [head, second] = fs.files(DIR).filter((name) => name.endsWith(".events"));
    const count = (name: string | undefined) =>
      Number(/\.v2\.(\d+)\.events$/.exec(name as string)?.[1]);
    const lost = events.slice(count(head), count(head) + count(second));
    expect(lost.length).toBeGreaterThan(0);
    fs.replace(`${DIR}/${second}`, Buffer.alloc(0));

    const taken = await spool.take(100);
    const ids = (list: TAgentEvent[]) => list.map((event) => event.id);
    expect(ids(taken)).toEqual(ids(events.filter((event) => !lost.includes(event))));
    expect(spool.stats()).toMatchObject({ dropped: lost.length, damaged: lost.length });
    expect(fs.files(DIR)).not.toContain(second);
    await spool.close();
  });
});

describe("event spool damage on a real disk", () => {
  let dir: string;
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), "mcpx-spool-damage-")), "spool");
  });
  afterEach(async () => {
    await rm(join(dir, ".."), { recursive: true, force: true });
  });

  const ids = (events: readonly TAgentEvent[]) => events.map((event) => event.id);

  it("does not send a record changed on disk: counts it as dropped once and names its segment in a warning", async () => {
    const { log, entries } = capturedLog();
    let spool = await EventSpool.open({ dir, maxBytes: 1 << 20, log });
    const events = [1, 2, 3].map((ts) => toolCall({ ts, durationMs: 5 }));
    await spool.append(events);
    await spool.close();
    const [segment] = await readdir(dir).then((names) =>
      names.filter((n) => n.endsWith(".events")),
    );
    expect(segment).toBe("000000000000.normal.v2.3.events");
    const path = join(dir, segment as string);
    const [first, second, third] = (await readFile(path, "utf8")).split("\n");
    // Still JSON, still an event: only its checksum tells.
    await writeFile(
      path,
      `${first}\n${second?.replace('"durationMs":5', '"durationMs":7')}\n${third}\n`,
    );

    spool = await EventSpool.open({ dir, maxBytes: 1 << 20, log });
    expect(ids(await spool.take(10))).toEqual(ids([events[0], events[2]] as TAgentEvent[]));
    expect(spool.stats()).toMatchObject({ dropped: 1, damaged: 1, unreportedDrops: 1 });
    expect(entries).toContainEqual(
      expect.objectContaining({
        level: 40,
        segment: "000000000000.normal.v2.3.events",
        damaged: 1,
      }),
    );
    await spool.close();
    spool = await EventSpool.open({ dir, maxBytes: 1 << 20, log });
    expect(spool.stats()).toMatchObject({ dropped: 1, damaged: 1 });
    expect(spool.stats().events).toBe(2);
    await spool.close();
  });

  it("reads the segments an agent before checksums left (format 1), counting a damaged line, and writes format 2 after them", async () => {
    const [sent, acked, kept] = [toolCall({ ts: 1 }), toolCall({ ts: 2 }), toolCall({ ts: 3 })];
    await mkdir(dir, { recursive: true });
    const v1 = [JSON.stringify(sent), '{"garbage', JSON.stringify(acked), JSON.stringify(kept)];
    await writeFile(join(dir, "000000000007.normal.events"), `${v1.join("\n")}\n`);
    await writeFile(join(dir, "000000000007.normal.acks"), "2\n");

    const spool = await EventSpool.open({ dir, maxBytes: 1 << 20 });
    expect(spool.stats()).toMatchObject({ events: 2, dropped: 1, damaged: 1 });
    const fresh = toolCall({ ts: 4 });
    await spool.append([fresh]);
    expect(await readdir(dir)).toContain("000000000008.normal.v2.events");
    const taken = await spool.take(10);
    expect(taken).toEqual([sent, kept, fresh]);
    await spool.ack(ids(taken));
    await spool.close();
    const left = await readdir(dir);
    expect(left.filter((name) => /\.(events|acks)$/.test(name))).toEqual([]);
  });

  it("leaves the segments of a newer format alone and numbers its own after them", async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "000000000009.normal.v3.events"), "a format we do not know\n");
    const spool = await EventSpool.open({ dir, maxBytes: 1 << 20 });
    await spool.append([toolCall()]);
    expect((await readdir(dir)).sort()).toEqual([
      "000000000009.normal.v3.events",
      "000000000010.normal.v2.events",
      "LOCK",
    ]);
    expect(spool.stats()).toMatchObject({ events: 1, dropped: 0 });
    await spool.close();
  });

  it("on a disk that fails writes, rejects the append, counts its events as dropped and goes on", async () => {
    const disk = new FailingWrites();
    const spool = await EventSpool.open({ dir, maxBytes: 1 << 20, fs: disk });
    disk.failing = true;
    await expect(spool.append([toolCall(), toolCall()])).rejects.toThrow(/EIO/);
    disk.failing = false;
    const after = toolCall();
    await spool.append([after]);
    expect(spool.stats()).toMatchObject({ dropped: 2, damaged: 0 });
    expect(ids(await spool.take(10))).toEqual([after.id]);
    await spool.close();
  });
});

/** A disk whose writes fail with EIO while `failing` is set. */
class FailingWrites extends MemoryFileSystem {
  failing = false;

  override async open(path: string, flags: "ax" | "wx"): Promise<SpoolFile> {
    const file = await super.open(path, flags);
    return {
      write: async (data, offset, length) => {
        if (this.failing) throw Object.assign(new Error("EIO: i/o error, write"), { code: "EIO" });
        return file.write(data, offset, length);
      },
      datasync: () => file.datasync(),
      close: () => file.close(),
    };
  }
}
