import { watch } from "node:fs";
import { basename, dirname } from "node:path";

/**
 * Calls `onChange` after the config file changed (debounced: editors write in several steps,
 * some by replacing the file, so the directory is watched, not the file).
 */
export function watchConfig(path: string, onChange: () => void, debounceMs = 250): () => void {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dirname(path), (_event, file) => {
    if (file !== null && file !== basename(path)) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
