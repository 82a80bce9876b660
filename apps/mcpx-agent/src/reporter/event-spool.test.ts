import {
  appendFile,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir, uptime } from "node:os";
import { join } from "node:path";
import type { TAgentEvent } from "@lunar/shared";
import { blockedCall, httpCall, toolCall } from "@lunar/shared/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventSpool, type EventSpoolOptions } from "./event-spool";
import { SpoolLockedError } from "./spool/spool-lock";

const ids = (events: readonly TAgentEvent[]) => events.map((event) => event.id);

async function takeAll(spool: EventSpool): Promise<TAgentEvent[]> {
  return spool.take(Number.MAX_SAFE_INTEGER);
}

async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => /\.(events|acks)$/.test(name)).sort();
}

/** Gives sealed segments back the name they had while written: what a process that died leaves. */
async function unsealAsIfCrashed(dir: string): Promise<void> {
  for (const name of await segmentFiles(dir)) {
    const open = name.replace(/\.v2\.\d+\.events$/, ".v2.events");
    if (open !== name) await rename(join(dir, name), join(dir, open));
  }
}

describe("event spool", () => {
  let dir: string;
  const open = (options: Partial<EventSpoolOptions> = {}) =>
    EventSpool.open({ dir, maxBytes: 10 * 1024 * 1024, ...options });

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), "mcpx-spool-")), "spool");
  });
  afterEach(async () => {
    await rm(join(dir, ".."), { recursive: true, force: true });
  });

  describe("sending and acking", () => {
    it("hands out each appended event once, oldest first, and not again while it is in flight", async () => {
      const spool = await open();
      const events = [toolCall({ ts: 1 }), toolCall({ ts: 2 }), toolCall({ ts: 3 })];
      await spool.append(events);
      expect(await spool.take(2)).toEqual(events.slice(0, 2));
      expect(await spool.take(10)).toEqual(events.slice(2));
      expect(await spool.take(10)).toEqual([]);
      expect(spool.stats()).toMatchObject({ events: 3, inFlight: 3, dropped: 0 });
      await spool.close();
    });

    it("takes nothing that is not on disk yet: an append is visible once it resolved", async () => {
      const spool = await open();
      const appended = spool.append([toolCall()]);
      const taken = spool.take(10);
      await appended;
      // The take was queued behind the write, so it sees the event.
      expect(await taken).toHaveLength(1);
      await spool.close();
    });

    it("deletes acked events: they never come back, not even after a restart", async () => {
      let spool = await open();
      const events = Array.from({ length: 5 }, (_, i) => toolCall({ ts: i }));
      await spool.append(events);
      const taken = await takeAll(spool);
      await spool.ack(ids(taken.slice(0, 3)));
      spool.release(ids(taken.slice(3)));
      expect(ids(await takeAll(spool))).toEqual(ids(events.slice(3)));
      await spool.close();

      spool = await open();
      expect(spool.stats().events).toBe(2);
      expect(ids(await takeAll(spool))).toEqual(ids(events.slice(3)));
      await spool.close();
    });

    it("puts released events back in their place, ahead of newer ones", async () => {
      const spool = await open();
      const [a, b, c] = [toolCall({ ts: 1 }), toolCall({ ts: 2 }), toolCall({ ts: 3 })];
      await spool.append([a, b, c]);
      const first = await spool.take(2);
      spool.release(ids(first));
      expect(ids(await spool.take(3))).toEqual([a.id, b.id, c.id]);
      await spool.close();
    });

    it("keeps unacked events across a restart, including those in flight when it stopped", async () => {
      let spool = await open();
      const events = Array.from({ length: 4 }, (_, i) => toolCall({ ts: i }));
      await spool.append(events);
      await spool.take(2); // in flight, never acked: the process "dies" here
      await spool.close();
      spool = await open();
      expect(ids(await takeAll(spool))).toEqual(ids(events));
      await spool.close();
    });

    it("ignores acks and releases of ids that are not in flight", async () => {
      const spool = await open();
      const event = toolCall();
      await spool.append([event]);
      await spool.ack([event.id, "not-an-id"]); // not taken yet: nothing to ack
      spool.release(["unknown"]);
      expect(ids(await takeAll(spool))).toEqual([event.id]);
      await spool.close();
    });

    it("interleaves blocked calls and other events by event time", async () => {
      const spool = await open();
      const events = [toolCall({ ts: 1 }), blockedCall({ ts: 2 }), httpCall({ ts: 3 })];
      // Blocked calls live apart (so they can be dropped last) but are not sent out of turn.
      await spool.append([events[0], events[2]] as TAgentEvent[]);
      await spool.append([events[1]] as TAgentEvent[]);
      expect(ids(await takeAll(spool))).toEqual(ids(events));
      await spool.close();
    });

    it("sends a second copy of an event id along with the first instead of twice", async () => {
      const spool = await open();
      const event = toolCall();
      await spool.append([event, event]);
      expect(ids(await takeAll(spool))).toEqual([event.id]);
      await spool.ack([event.id]);
      expect(spool.stats().events).toBe(0);
      await spool.close();
    });
  });

  describe("batches", () => {
    it("stops at maxEvents and at maxBytes, but always returns at least one event", async () => {
      const spool = await open();
      const events = Array.from({ length: 10 }, (_, i) => toolCall({ ts: i }));
      await spool.append(events);
      const oneEventBytes = Buffer.byteLength(JSON.stringify(events[0])) + 1;
      expect(await spool.take(3)).toHaveLength(3);
      expect(await spool.take(100, oneEventBytes * 2 + 5)).toHaveLength(2);
      expect(await spool.take(100, 1)).toHaveLength(1);
      expect(await spool.take(100)).toHaveLength(4);
      await spool.close();
    });

    it("refuses an event too big to ever fit in a frame, and counts it as dropped", async () => {
      const spool = await open({ maxEventBytes: 2_000 });
      const huge = httpCall({ path: `/${"a".repeat(5_000)}` });
      const fine = toolCall();
      await spool.append([huge, fine]);
      expect(ids(await takeAll(spool))).toEqual([fine.id]);
      expect(spool.stats()).toMatchObject({ dropped: 1, unreportedDrops: 1 });
      await spool.close();
    });
  });

  describe("concurrency", () => {
    it("appends made while a take is reading segments from disk are neither lost nor taken twice", async () => {
      let spool = await open({ segmentBytes: 2_000 });
      const old = Array.from({ length: 200 }, (_, i) => toolCall({ ts: i }));
      for (let i = 0; i < old.length; i += 20) await spool.append(old.slice(i, i + 20));
      await spool.close();
      spool = await open({ segmentBytes: 2_000 }); // every segment on disk only

      const taking = spool.take(150);
      const fresh = Array.from({ length: 100 }, (_, i) => toolCall({ ts: 1_000 + i }));
      const appending = fresh.map((event) => spool.append([event]));
      const taken = await taking;
      await Promise.all(appending);
      const rest = await takeAll(spool);

      expect(ids(taken)).toEqual(ids(old.slice(0, 150)));
      expect(ids(rest)).toEqual(ids([...old.slice(150), ...fresh]));
      await spool.close();
    });

    it("runs concurrent takes one after the other: no event is handed out twice", async () => {
      const spool = await open({ segmentBytes: 2_000 });
      const events = Array.from({ length: 300 }, (_, i) => toolCall({ ts: i }));
      await spool.append(events);
      const batches = await Promise.all(Array.from({ length: 10 }, () => spool.take(40)));
      const taken = batches.flatMap(ids);
      expect(taken).toEqual(ids(events));
      await spool.close();
    });
  });

  describe("crashes", () => {
    it("counts a torn last record left by a crash as dropped, keeps the events before it, and writes new events to a new file", async () => {
      let spool = await open();
      const before = [toolCall({ ts: 1 }), toolCall({ ts: 2 })];
      await spool.append(before);
      await spool.close();
      await unsealAsIfCrashed(dir);
      const [eventsFile] = (await segmentFiles(dir)).filter((name) => name.endsWith(".events"));
      const torn = `0badc0de 2 ${JSON.stringify(toolCall({ ts: 3 }))}`.slice(0, 40);
      await appendFile(join(dir, eventsFile as string), torn);

      spool = await open();
      expect(spool.stats()).toMatchObject({ dropped: 1, damaged: 1, unreportedDrops: 1 });
      const after = toolCall({ ts: 4 });
      await spool.append([after]);
      expect(ids(await takeAll(spool))).toEqual([...ids(before), after.id]);
      // The torn file was never appended to again.
      const [sealed] = (await segmentFiles(dir)).filter((name) => name.endsWith(".v2.3.events"));
      expect(sealed, "sealed with the torn record counted").toBeDefined();
      const text = await readFile(join(dir, sealed as string), "utf8");
      expect(text.endsWith(torn)).toBe(true);
      await spool.close();
    });

    it("skips a torn ack line (that event is sent again: the gateway drops the duplicate)", async () => {
      let spool = await open();
      const events = Array.from({ length: 3 }, (_, i) => toolCall({ ts: i }));
      await spool.append(events);
      await spool.ack(ids(await spool.take(1)));
      await spool.close();
      const [acksFile] = (await segmentFiles(dir)).filter((name) => name.endsWith(".acks"));
      await appendFile(join(dir, acksFile as string), "1"); // "1\n" torn before its newline

      spool = await open();
      expect(ids(await takeAll(spool))).toEqual(ids(events.slice(1)));
      await spool.close();
    });

    it("ignores a garbage line in the middle: the events around it are sent, none is counted lost", async () => {
      let spool = await open();
      const events = [toolCall({ ts: 1 }), toolCall({ ts: 2 })];
      await spool.append(events);
      await spool.close();
      const [eventsFile] = (await segmentFiles(dir)).filter((name) => name.endsWith(".events"));
      const path = join(dir, eventsFile as string);
      const [first, second] = (await readFile(path, "utf8")).split("\n");
      await writeFile(path, `${first}\n{"garbage\n${second}\n`);
      spool = await open();
      expect(ids(await takeAll(spool))).toEqual(ids(events));
      expect(spool.stats()).toMatchObject({ dropped: 0, damaged: 0 });
      await spool.close();
    });
  });

  describe("the size bound", () => {
    const small = { maxBytes: 20_000, segmentBytes: 2_000 };

    it("drops the oldest events past maxBytes, counts them, and stays within the bound", async () => {
      const spool = await open(small);
      const events = Array.from({ length: 300 }, (_, i) => toolCall({ ts: i }));
      for (const event of events) await spool.append([event]);
      const stats = spool.stats();
      expect(stats.bytes).toBeLessThanOrEqual(small.maxBytes);
      expect(stats.dropped).toBeGreaterThan(0);
      expect(stats.dropped + stats.events).toBe(events.length);
      // What is left is the newest events, in order.
      const left = ids(await takeAll(spool));
      expect(left).toEqual(ids(events.slice(events.length - left.length)));
      await spool.close();
    });

    it("drops blocked calls last: only once nothing else is left to drop", async () => {
      const spool = await open(small);
      const blocked = Array.from({ length: 20 }, (_, i) => blockedCall({ ts: i }));
      await spool.append(blocked);
      const others = Array.from({ length: 300 }, (_, i) => toolCall({ ts: 100 + i }));
      for (const event of others) await spool.append([event]);

      let taken = await takeAll(spool);
      const blockedLeft = taken.filter((e) => e.type === "http_call" && e.decision === "blocked");
      expect(ids(blockedLeft)).toEqual(ids(blocked));
      expect(spool.stats().dropped).toBeGreaterThan(0);
      spool.release(ids(taken));

      // Only blocked calls now: they go too, oldest first, once nothing else is left.
      const moreBlocked = Array.from({ length: 200 }, (_, i) => blockedCall({ ts: 1_000 + i }));
      for (const event of moreBlocked) await spool.append([event]);
      expect(spool.stats().bytes).toBeLessThanOrEqual(small.maxBytes);
      taken = await takeAll(spool);
      expect(taken.every((e) => e.type === "http_call" && e.decision === "blocked")).toBe(true);
      const all = [...blocked, ...moreBlocked];
      expect(ids(taken)).toEqual(ids(all.slice(all.length - taken.length)));
      await spool.close();
    });

    it("never drops events in flight: their ack is on its way", async () => {
      const spool = await open(small);
      const first = Array.from({ length: 20 }, (_, i) => toolCall({ ts: i }));
      await spool.append(first);
      const inFlight = await takeAll(spool);
      for (let i = 0; i < 300; i++) await spool.append([toolCall({ ts: 100 + i })]);
      await spool.ack(ids(inFlight));
      expect(spool.stats().inFlight).toBe(0);
      // Every in-flight event was acked (none was dropped from under it).
      expect(spool.stats().dropped + spool.stats().events).toBe(300);
      await spool.close();
    });

    it("remembers drops across restarts, and which of them the gateway was told about", async () => {
      let spool = await open(small);
      for (let i = 0; i < 300; i++) await spool.append([toolCall({ ts: i })]);
      const { dropped } = spool.stats();
      expect(dropped).toBeGreaterThan(0);
      await spool.markDropsReported(dropped - 5);
      await spool.close();
      spool = await open(small);
      expect(spool.stats()).toMatchObject({ dropped, unreportedDrops: 5 });
      await spool.close();
    });

    it("applies a smaller bound given at restart", async () => {
      let spool = await open(small);
      for (let i = 0; i < 60; i++) await spool.append([toolCall({ ts: i })]);
      await spool.close();
      spool = await open({ maxBytes: 5_000, segmentBytes: 1_000 });
      expect(spool.stats().bytes).toBeLessThanOrEqual(5_000);
      expect(spool.stats().dropped + spool.stats().events).toBe(60);
      await spool.close();
    });
  });

  describe("disk and memory", () => {
    it("deletes segment files once every event in them is acked", async () => {
      const spool = await open({ segmentBytes: 2_000 });
      for (let i = 0; i < 100; i++) await spool.append([toolCall({ ts: i })]);
      expect((await segmentFiles(dir)).length).toBeGreaterThan(5);
      for (;;) {
        const batch = await spool.take(7);
        if (batch.length === 0) break;
        await spool.ack(ids(batch));
      }
      // At most the segment still being appended to is left.
      expect(
        (await segmentFiles(dir)).filter((f) => f.endsWith(".events")).length,
      ).toBeLessThanOrEqual(1);
      await spool.close();
      const reopened = await open();
      expect(await segmentFiles(dir)).toEqual([]);
      expect(reopened.stats()).toMatchObject({ events: 0, bytes: 0 });
      await reopened.close();
    });

    it("holds only about a segment per lane in memory while nothing is sent", async () => {
      const spool = await open({ segmentBytes: 4_000 });
      for (let i = 0; i < 2_000; i += 50) {
        await spool.append(Array.from({ length: 50 }, (_, j) => toolCall({ ts: i + j })));
      }
      expect(spool.stats().events).toBe(2_000);
      expect(spool.stats().loadedEvents).toBeLessThan(150);
      await spool.close();
    });

    it("holds only the segments it is sending from in memory, however big the spool", async () => {
      let spool = await open({ segmentBytes: 4_000 });
      const total = 2_000;
      for (let i = 0; i < total; i += 50) {
        await spool.append(Array.from({ length: 50 }, (_, j) => toolCall({ ts: i + j })));
      }
      await spool.close();
      spool = await open({ segmentBytes: 4_000 });
      expect(spool.stats()).toMatchObject({ events: total, loadedEvents: 0 });
      let sent = 0;
      let mostLoaded = 0;
      for (;;) {
        const batch = await spool.take(40);
        if (batch.length === 0) break;
        mostLoaded = Math.max(mostLoaded, spool.stats().loadedEvents);
        await spool.ack(ids(batch));
        sent += batch.length;
      }
      expect(sent).toBe(total);
      // A 4 KB segment holds ~16 events: a couple of segments at a time, not 2,000 events.
      expect(mostLoaded).toBeLessThan(100);
      await spool.close();
    });
  });

  describe("one process per spool", () => {
    it("refuses a second open of a spool in use, and opens it again once closed", async () => {
      const spool = await open();
      await expect(open()).rejects.toBeInstanceOf(SpoolLockedError);
      await spool.close();
      await (await open()).close();
    });

    it("takes over a lock left by a process that no longer exists", async () => {
      const spool = await open();
      await spool.close();
      await writeFile(join(dir, "LOCK"), "999999999");
      await (await open()).close();
    });

    it("takes over a lock from before the last boot, even if its pid is alive again", async () => {
      const spool = await open();
      await spool.close();
      const lock = join(dir, "LOCK");
      await writeFile(lock, String(process.pid));
      await expect(open()).rejects.toThrow(/in use by another mcpx-agent/);
      const beforeBoot = new Date(Date.now() - uptime() * 1000 - 60_000);
      await utimes(lock, beforeBoot, beforeBoot);
      await (await open()).close();
    });
  });
});
