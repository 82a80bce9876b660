import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

const DROPS_FILE = "drops.json";
const ZDrops = z.object({
  dropped: z.number().int().nonnegative(),
  reported: z.number().int().nonnegative(),
});

/**
 * How many events the spool dropped in its lifetime and how many of those the gateway has been
 * told about, kept on disk so a restart neither forgets nor re-reports drops.
 */
export class DropLedger {
  private constructor(
    private readonly path: string,
    private dropped: number,
    private reported: number,
  ) {}

  static async open(dir: string): Promise<DropLedger> {
    const path = join(dir, DROPS_FILE);
    try {
      const parsed = ZDrops.safeParse(JSON.parse(await readFile(path, "utf8")));
      if (parsed.success) {
        const { dropped, reported } = parsed.data;
        return new DropLedger(path, dropped, Math.min(reported, dropped));
      }
    } catch {
      // Missing or unreadable: counting restarts from zero (the counts are informational).
    }
    return new DropLedger(path, 0, 0);
  }

  get total(): number {
    return this.dropped;
  }

  get unreported(): number {
    return this.dropped - this.reported;
  }

  async add(count: number): Promise<void> {
    this.dropped += count;
    await this.save();
  }

  async markReported(count: number): Promise<void> {
    this.reported = Math.min(this.dropped, this.reported + count);
    await this.save();
  }

  private async save(): Promise<void> {
    const temporary = `${this.path}.tmp`;
    await writeFile(temporary, JSON.stringify({ dropped: this.dropped, reported: this.reported }));
    await rename(temporary, this.path);
  }
}
