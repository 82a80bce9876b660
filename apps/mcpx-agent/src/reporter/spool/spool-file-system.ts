import {
  appendFile,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  stat,
  unlink,
  writeFile,
} from "node:fs/promises";
import { fsyncDirectory } from "../fsync-directory";

/** A file opened for appending (the active segment) or created exclusively (the lock). */
export interface SpoolFile {
  write(data: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every file operation the spool makes, so a test can run it on a filesystem that fails or
 * corrupts on purpose (testing/memory-file-system.ts). Errors carry Node's `code` (ENOENT,
 * EEXIST), which the spool relies on.
 */
export interface SpoolFileSystem {
  mkdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  readFile(path: string): Promise<Buffer>;
  /** Replaces the file's content (not atomically: callers write a temporary file and rename). */
  writeFile(path: string, data: string): Promise<void>;
  appendFile(path: string, data: string): Promise<void>;
  /** "ax": create for appending, "wx": create for writing; both fail with EEXIST if it exists. */
  open(path: string, flags: "ax" | "wx"): Promise<SpoolFile>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  stat(path: string): Promise<{ size: number; mtimeMs: number }>;
  /** Makes the directory's entries (new files, renames) durable. */
  syncDirectory(path: string): Promise<void>;
}

/** The real disk. Files are 0600 and the spool directory 0700: events name what the user did. */
export const nodeSpoolFileSystem: SpoolFileSystem = {
  mkdir: async (path) => {
    await mkdir(path, { recursive: true, mode: 0o700 });
  },
  readdir: (path) => readdir(path),
  readFile: (path) => readFile(path),
  writeFile: (path, data) => writeFile(path, data, { mode: 0o600 }),
  appendFile: (path, data) => appendFile(path, data, { mode: 0o600 }),
  open: (path, flags) => open(path, flags, 0o600),
  rename: (from, to) => rename(from, to),
  unlink: (path) => unlink(path),
  stat: (path) => stat(path),
  syncDirectory: fsyncDirectory,
};
