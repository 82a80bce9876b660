import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TAgentEvent } from "@lunar/shared";
import { blockedCall, toolCall } from "@lunar/shared/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventSpool } from "./event-spool";

/** mulberry32: a seeded generator, so a failing interleaving can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("event spool under interleaved appends, takes, acks, releases and restarts", () => {
  let dir: string;
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), "mcpx-spool-model-")), "spool");
  });
  afterEach(async () => {
    await rm(join(dir, ".."), { recursive: true, force: true });
  });

  it.each([1, 2, 3, 4])(
    "acks every appended event exactly once and leaves an empty directory (seed %i)",
    { timeout: 30_000 },
    async (seed) => {
      const random = seeded(seed);
      const pick = <T>(items: T[]) => items.filter(() => random() < 0.5);
      const open = () => EventSpool.open({ dir, maxBytes: 64 * 1024 * 1024, segmentBytes: 3_000 });
      let spool = await open();
      const appended = new Set<string>();
      const acked = new Set<string>();
      let inFlight = new Set<string>();
      let appends: Promise<void>[] = [];
      let ts = 0;

      const take = async (max: number) => {
        const taken = await spool.take(max);
        for (const event of taken) {
          expect(appended.has(event.id), "only appended events are taken").toBe(true);
          expect(acked.has(event.id), "an acked event came back").toBe(false);
          expect(inFlight.has(event.id), "an in-flight event was taken twice").toBe(false);
          inFlight.add(event.id);
        }
        return taken;
      };
      const ack = async (ids: string[]) => {
        for (const id of ids) {
          expect(acked.has(id)).toBe(false);
          inFlight.delete(id);
          acked.add(id);
        }
        await spool.ack(ids);
      };

      for (let step = 0; step < 1_500; step++) {
        const roll = random();
        if (roll < 0.4) {
          const events: TAgentEvent[] = Array.from({ length: 1 + Math.floor(random() * 12) }, () =>
            random() < 0.2 ? blockedCall({ ts: ts++ }) : toolCall({ ts: ts++ }),
          );
          for (const event of events) appended.add(event.id);
          // Not awaited: appends race with the takes and acks that follow.
          appends.push(spool.append(events));
        } else if (roll < 0.65) {
          await take(1 + Math.floor(random() * 40));
        } else if (roll < 0.85) {
          await ack(pick([...inFlight]));
        } else if (roll < 0.97) {
          const released = pick([...inFlight]);
          for (const id of released) inFlight.delete(id);
          spool.release(released);
        } else {
          // A restart: whatever was in flight is pending again.
          await Promise.all(appends);
          appends = [];
          await spool.close();
          spool = await open();
          inFlight = new Set();
        }
      }

      await Promise.all(appends);
      await ack([...inFlight]);
      for (;;) {
        const batch = await take(25);
        if (batch.length === 0) break;
        await ack(batch.map((event) => event.id));
      }
      expect(acked).toEqual(appended);
      expect(spool.stats()).toMatchObject({ events: 0, inFlight: 0, dropped: 0 });
      await spool.close();
      // Reopening finds nothing to send and removes the last, fully acked segments.
      spool = await open();
      expect(await spool.take(10)).toEqual([]);
      await spool.close();
      expect((await readdir(dir)).filter((name) => /\.(events|acks)$/.test(name))).toEqual([]);
    },
  );
});
