import { validate, version } from "uuid";
import { describe, expect, it } from "vitest";
import { newEventId } from "./event-id";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("newEventId", () => {
  it("makes distinct UUIDv7s, ordered by millisecond, across many refills of the random pool", () => {
    const before = Date.now();
    const ids = Array.from({ length: 5_000 }, () => newEventId());
    const after = Date.now();
    expect(new Set(ids).size).toBe(ids.length);
    const millis = ids.map((id) => Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16));
    for (const id of ids) {
      expect(id).toMatch(UUID_V7);
      expect(validate(id) && version(id)).toBe(7);
    }
    for (const ms of millis) {
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(after);
    }
    expect(millis).toEqual([...millis].sort((a, b) => a - b));
  });

  it("carries the millisecond it was made in its first 48 bits, past 2^32 ms and at the far edge", () => {
    const realNow = Date.now;
    try {
      for (const millis of [0, 0xffff_ffff, 0x1_0000_0000, 1_764_000_000_000, 2 ** 48 - 1]) {
        Date.now = () => millis;
        const id = newEventId();
        expect(Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16)).toBe(millis);
        expect(id).toMatch(UUID_V7);
      }
    } finally {
      Date.now = realNow;
    }
  });
});
