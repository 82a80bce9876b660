import { basename, dirname } from "node:path";
import type { SpoolFile, SpoolFileSystem } from "../spool/spool-file-system";

function errno(code: "ENOENT" | "EEXIST", path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${path}`);
  error.code = code;
  return error;
}

/**
 * A spool filesystem in memory, for model tests: fast enough for hundreds of runs, and its
 * files can be damaged between runs (`files`, `read`, `replace`) the way a disk damages them.
 * Every write is durable at once (there is no page cache to lose).
 */
export class MemoryFileSystem implements SpoolFileSystem {
  private readonly contents = new Map<string, { data: Buffer; mtimeMs: number }>();
  private readonly directories = new Set<string>();

  /** Names of the files in `dir`, sorted. */
  files(dir: string): string[] {
    return [...this.contents.keys()]
      .filter((path) => dirname(path) === dir)
      .map((path) => basename(path))
      .sort();
  }

  read(path: string): Buffer {
    const file = this.contents.get(path);
    if (!file) throw errno("ENOENT", path);
    return file.data;
  }

  replace(path: string, data: Buffer): void {
    this.put(path, data);
  }

  // ---- SpoolFileSystem ----

  async mkdir(path: string): Promise<void> {
    this.directories.add(path);
  }

  async readdir(path: string): Promise<string[]> {
    if (!this.directories.has(path)) throw errno("ENOENT", path);
    return this.files(path);
  }

  async readFile(path: string): Promise<Buffer> {
    return Buffer.from(this.read(path));
  }

  async writeFile(path: string, data: string): Promise<void> {
    this.checkDirectory(path);
    this.put(path, Buffer.from(data));
  }

  async appendFile(path: string, data: string): Promise<void> {
    this.checkDirectory(path);
    const existing = this.contents.get(path)?.data ?? Buffer.alloc(0);
    this.put(path, Buffer.concat([existing, Buffer.from(data)]));
  }

  async open(path: string, _flags: "ax" | "wx"): Promise<SpoolFile> {
    this.checkDirectory(path);
    if (this.contents.has(path)) throw errno("EEXIST", path);
    this.put(path, Buffer.alloc(0));
    let open = true;
    return {
      write: async (data, offset, length) => {
        if (!open) throw new Error("write to a closed file");
        const existing = this.read(path);
        this.put(path, Buffer.concat([existing, data.subarray(offset, offset + length)]));
        return { bytesWritten: length };
      },
      datasync: async () => {},
      close: async () => {
        open = false;
      },
    };
  }

  async rename(from: string, to: string): Promise<void> {
    const file = this.contents.get(from);
    if (!file) throw errno("ENOENT", from);
    this.checkDirectory(to);
    this.contents.delete(from);
    this.contents.set(to, file);
  }

  async unlink(path: string): Promise<void> {
    if (!this.contents.delete(path)) throw errno("ENOENT", path);
  }

  async stat(path: string): Promise<{ size: number; mtimeMs: number }> {
    const file = this.contents.get(path);
    if (!file) throw errno("ENOENT", path);
    return { size: file.data.length, mtimeMs: file.mtimeMs };
  }

  async syncDirectory(path: string): Promise<void> {
    if (!this.directories.has(path)) throw errno("ENOENT", path);
  }

  private put(path: string, data: Buffer): void {
    this.contents.set(path, { data, mtimeMs: Date.now() });
  }

  private checkDirectory(path: string): void {
    if (!this.directories.has(dirname(path))) throw errno("ENOENT", path);
  }
}
