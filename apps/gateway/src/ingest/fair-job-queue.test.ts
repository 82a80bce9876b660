import { describe, expect, it } from "vitest";
import { FairJobQueue } from "./fair-job-queue";

const job = (orgId: string, n: number, label: string) => ({
  item: { orgId, events: new Array(n).fill(0) },
  label,
});

describe("FairJobQueue", () => {
  it("serves a small org in the first transaction although a large backlog came first", () => {
    const queue = new FairJobQueue<ReturnType<typeof job>>();
    for (let i = 0; i < 100; i++) queue.push(job("big", 500, `big${i}`));
    queue.push(job("small", 10, "small0"));
    const first = queue.take(5_000).map((j) => j.label);
    expect(first).toContain("small0");
    expect(first.filter((label) => label.startsWith("big"))).toEqual([
      "big0",
      "big1",
      "big2",
      "big3",
      "big4",
      "big5",
      "big6",
      "big7",
      "big8",
    ]);
    expect(queue.length).toBe(91);
  });

  it("keeps each org's order, also for jobs put back after a failed write", () => {
    const queue = new FairJobQueue<ReturnType<typeof job>>();
    for (const label of ["a0", "a1", "a2"]) queue.push(job("a", 1, label));
    for (const label of ["b0", "b1"]) queue.push(job("b", 1, label));
    const taken = queue.take(3);
    expect(taken.map((j) => j.label)).toEqual(["a0", "b0", "a1"]);
    queue.putBack(taken);
    const all = queue.take(100).map((j) => j.label);
    expect(all.filter((l) => l.startsWith("a"))).toEqual(["a0", "a1", "a2"]);
    expect(all.filter((l) => l.startsWith("b"))).toEqual(["b0", "b1"]);
    expect(queue.length).toBe(0);
  });

  it("takes one job even when it alone is over the limit", () => {
    const queue = new FairJobQueue<ReturnType<typeof job>>();
    queue.push(job("a", 900, "huge"));
    expect(queue.take(10).map((j) => j.label)).toEqual(["huge"]);
  });
});
