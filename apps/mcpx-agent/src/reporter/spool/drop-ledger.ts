import { join } from "node:path";
import { z } from "zod";
import type { SpoolFileSystem } from "./spool-file-system";

const DROPS_FILE = "drops.json";
const ZDrops = z.object({
  dropped: z.number().int().nonnegative(),
  reported: z.number().int().nonnegative(),
  /** Of `dropped`, how many were found damaged on disk (absent in files of older agents). */
  damaged: z.number().int().nonnegative().default(0),
});

/**
 * How many events the spool dropped in its lifetime (spool full, too big to send, or found
 * damaged on disk) and how many of those the gateway has been told about, kept on disk so a
 * restart neither forgets nor re-reports drops.
 */
export class DropLedger {
  private constructor(
    private readonly fs: SpoolFileSystem,
    private readonly path: string,
    private dropped: number,
    private reported: number,
    private damagedCount: number,
  ) {}

  static async open(fs: SpoolFileSystem, dir: string): Promise<DropLedger> {
    const path = join(dir, DROPS_FILE);
    try {
      const parsed = ZDrops.safeParse(JSON.parse((await fs.readFile(path)).toString("utf8")));
      if (parsed.success) {
        const { dropped, reported, damaged } = parsed.data;
        return new DropLedger(fs, path, dropped, Math.min(reported, dropped), damaged);
      }
    } catch {
      // Missing or unreadable: counting restarts from zero (the counts are informational).
    }
    return new DropLedger(fs, path, 0, 0, 0);
  }

  get total(): number {
    return this.dropped;
  }

  get unreported(): number {
    return this.dropped - this.reported;
  }

  /** Of the total, events found damaged on disk. */
  get damaged(): number {
    return this.damagedCount;
  }

  async add(count: number): Promise<void> {
    this.dropped += count;
    await this.save();
  }

  async addDamaged(count: number): Promise<void> {
    this.dropped += count;
    this.damagedCount += count;
    await this.save();
  }

  async markReported(count: number): Promise<void> {
    this.reported = Math.min(this.dropped, this.reported + count);
    await this.save();
  }

  private async save(): Promise<void> {
    const temporary = `${this.path}.tmp`;
    const { dropped, reported, damagedCount: damaged } = this;
    await this.fs.writeFile(temporary, JSON.stringify({ dropped, reported, damaged }));
    await this.fs.rename(temporary, this.path);
  }
}
