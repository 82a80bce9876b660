import { open } from "node:fs/promises";

/**
 * Makes a directory's entries (files created, renamed or linked in it) durable: fsync of a file
 * covers its data, not the name that points at it.
 */
export async function fsyncDirectory(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
