import { uptime } from "node:os";
import { join } from "node:path";
import type { SpoolFileSystem } from "./spool-file-system";

const LOCK_FILE = "LOCK";

export class SpoolLockedError extends Error {}

/**
 * One process per spool directory: two would delete segments the other is still writing. The
 * lock file holds the owner's pid; a lock whose pid is gone, or that predates the last boot (its
 * pid may since belong to anything), was left by a process that died and is taken over.
 */
export class SpoolLock {
  private constructor(
    private readonly fs: SpoolFileSystem,
    private readonly path: string,
  ) {}

  static async acquire(fs: SpoolFileSystem, dir: string): Promise<SpoolLock> {
    const path = join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const handle = await fs.open(path, "wx");
        const pid = Buffer.from(String(process.pid));
        await handle.write(pid, 0, pid.length);
        await handle.close();
        return new SpoolLock(fs, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = await lockHolder(fs, path);
      if (holder !== null) {
        throw new SpoolLockedError(
          `the event spool ${dir} is in use by another mcpx-agent (pid ${holder}); give each ` +
            `agent its own state directory (if no agent is running, delete ${path})`,
        );
      }
      await fs.unlink(path).catch(() => {});
    }
    throw new SpoolLockedError(`could not lock the event spool ${dir}`);
  }

  async release(): Promise<void> {
    await this.fs.unlink(this.path).catch(() => {});
  }
}

/** The pid holding a live lock, or null when the lock is abandoned (or vanished). */
async function lockHolder(fs: SpoolFileSystem, path: string): Promise<number | null> {
  try {
    const [text, info] = await Promise.all([fs.readFile(path), fs.stat(path)]);
    const pid = Number(text.toString("utf8").trim());
    if (!Number.isInteger(pid) || pid <= 0) return null;
    const bootedAt = Date.now() - uptime() * 1000;
    if (info.mtimeMs < bootedAt) return null;
    return isAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
