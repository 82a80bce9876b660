import { createHash } from "node:crypto";

// Tools from every server are offered as `<server>__<tool>`. Clients limit tool names to 64
// characters of [A-Za-z0-9_-] (Claude Desktop rejects others), so:
//   - characters outside that set in the server name become "_";
//   - a name longer than 64 keeps its first characters and ends in "_" + 6 hex characters of the
//     SHA-256 of the original tool name, so it stays unique and stable across restarts.
// The mapping back to (server, original name) is looked up, never parsed, so any name works.

export const MAX_TOOL_NAME = 64;
const SEPARATOR = "__";

export function safeServerPrefix(server: string): string {
  return server.replace(/[^A-Za-z0-9_-]/g, "_");
}

export function namespacedName(server: string, original: string): string {
  const full = `${safeServerPrefix(server)}${SEPARATOR}${original.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  if (full.length <= MAX_TOOL_NAME) return full;
  const hash = createHash("sha256").update(original).digest("hex").slice(0, 6);
  return `${full.slice(0, MAX_TOOL_NAME - 7)}_${hash}`;
}

/** Two-way map between offered names and (server, original) pairs, rebuilt on every list. */
export class NameMap {
  private readonly byOffered = new Map<string, { server: string; original: string }>();

  /** `prefixed` false: the server's name is offered as it is (its config says `"prefix": false`). */
  add(server: string, original: string, prefixed = true): string {
    let offered = prefixed ? namespacedName(server, original) : original;
    // Sanitising can make two originals collide ("a.b" and "a_b"): disambiguate by hash.
    if (this.byOffered.has(offered)) {
      const hash = createHash("sha256").update(original).digest("hex").slice(0, 6);
      offered = `${offered.slice(0, MAX_TOOL_NAME - 7)}_${hash}`;
    }
    this.byOffered.set(offered, { server, original });
    return offered;
  }

  resolve(offered: string): { server: string; original: string } | undefined {
    return this.byOffered.get(offered);
  }
}
