import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventSpool } from "./event-spool";

const CHILD = fileURLToPath(new URL("./testing/spool-crash-child.ts", import.meta.url));

interface ChildRun {
  appended: Set<string>;
  acked: Set<string>;
}

/** Runs the child until it confirmed `appends` appends, then SIGKILLs it mid-stream. */
async function runAndKill(dir: string, appends: number): Promise<ChildRun> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const run: ChildRun = { appended: new Set(), acked: new Set() };
  let confirmed = 0;
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => {
    const [kind, list] = line.split(" ");
    if (!list) return;
    const target = kind === "appended" ? run.appended : run.acked;
    for (const id of list.split(",")) target.add(id);
    if (kind === "appended" && ++confirmed === appends) child.kill("SIGKILL");
  });
  const exit = await new Promise<NodeJS.Signals | null>((resolve) =>
    child.once("close", (_code, signal) => resolve(signal)),
  );
  if (exit !== "SIGKILL") throw new Error(`the child ended on its own:\n${stderr}`);
  return run;
}

describe("event spool under SIGKILL", { timeout: 60_000 }, () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "mcpx-spool-kill-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("keeps every confirmed append that was not acked, and never brings an acked event back", async () => {
    const dir = join(root, "spool");
    const everAcked = new Set<string>();
    const everAppended = new Set<string>();
    for (let restart = 0; restart < 3; restart++) {
      const run = await runAndKill(dir, 400);
      for (const id of run.appended) everAppended.add(id);
      for (const id of run.acked) everAcked.add(id);

      const spool = await EventSpool.open({ dir, maxBytes: 512 * 1024 * 1024 });
      const left = (await spool.take(Number.MAX_SAFE_INTEGER)).map((event) => event.id);
      const leftSet = new Set(left);
      expect(left.length).toBe(leftSet.size);
      for (const id of everAcked) expect(leftSet.has(id), `acked ${id} came back`).toBe(false);
      const missing = [...everAppended].filter((id) => !everAcked.has(id) && !leftSet.has(id));
      expect(missing).toEqual([]);
      expect(run.acked.size).toBeGreaterThan(0);
      // Leave them unacked: the next child starts from this spool, as a restarted agent would.
      await spool.close();
    }
  });
});
