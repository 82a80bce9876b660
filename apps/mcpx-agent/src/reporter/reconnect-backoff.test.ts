import { describe, expect, it } from "vitest";
import { authRejectedDelay, DEFAULT_BACKOFF, ReconnectBackoff } from "./reconnect-backoff";

const delays = (backoff: ReconnectBackoff, count: number) =>
  Array.from({ length: count }, () => backoff.next());

describe("reconnect backoff", () => {
  it("doubles its ceiling from 0.5 s and caps it at 30 s", () => {
    const almostOne = new ReconnectBackoff({ ...DEFAULT_BACKOFF, random: () => 0.999_999 });
    expect(delays(almostOne, 10)).toEqual([
      499, 999, 1_999, 3_999, 7_999, 15_999, 29_999, 29_999, 29_999, 29_999,
    ]);
  });

  it("draws each delay uniformly below the ceiling (full jitter)", () => {
    const draws = [0, 0.5, 0.25, 0.75];
    const backoff = new ReconnectBackoff({
      initialMs: 1_000,
      maxMs: 30_000,
      random: () => draws.shift() ?? 0,
    });
    expect(delays(backoff, 4)).toEqual([0, 1_000, 1_000, 6_000]);
  });

  it("spreads a fleet of agents over the whole window instead of retrying in lockstep", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const fifthDelays = Array.from({ length: 1_000 }, () => {
      const backoff = new ReconnectBackoff({ ...DEFAULT_BACKOFF, random });
      return delays(backoff, 5)[4] as number;
    });
    expect(Math.min(...fifthDelays)).toBeLessThan(800);
    expect(Math.max(...fifthDelays)).toBeGreaterThan(7_200);
    expect(new Set(fifthDelays).size).toBeGreaterThan(900);
  });

  it("never exceeds the cap, however many attempts", () => {
    const backoff = new ReconnectBackoff({ ...DEFAULT_BACKOFF, random: () => 0.999_999 });
    expect(Math.max(...delays(backoff, 2_000))).toBeLessThan(30_000);
  });

  it("starts from the first ceiling again after a reset", () => {
    const backoff = new ReconnectBackoff({ ...DEFAULT_BACKOFF, random: () => 0.999_999 });
    delays(backoff, 6);
    backoff.reset();
    expect(delays(backoff, 2)).toEqual([499, 999]);
  });

  it("waits about a minute (± 25 %) after the key was rejected", () => {
    expect(authRejectedDelay(() => 0)).toBe(45_000);
    expect(authRejectedDelay(() => 0.5)).toBe(60_000);
    expect(authRejectedDelay(() => 0.999_999)).toBe(74_999);
    expect(authRejectedDelay(() => 0.5, 10_000)).toBe(10_000);
  });
});
