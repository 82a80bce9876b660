import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ClientSessionStatus } from "../front/client-session-status";
import type { UpstreamStatus } from "../upstream/upstream-server";

export interface AgentStatus {
  pid: number;
  startedAt: string;
  updatedAt: string;
  agentId: string;
  name: string;
  config: string;
  http: string | null;
  gateway: {
    configured: boolean;
    connected: boolean;
    url: string | null;
    lastError: string | null;
  };
  spool: {
    events: number;
    bytes: number;
    /** Events the spool dropped in its lifetime (full, too big, or damaged on disk). */
    dropped: number;
    /** Of those, events found damaged on disk (absent in status files of older agents). */
    damaged?: number;
  } | null;
  servers: UpstreamStatus[];
  /** Connected client sessions and the protocol version each negotiated (absent: older agent). */
  clients?: ClientSessionStatus[];
}

export function statusPath(stateDir: string): string {
  return join(stateDir, "status.json");
}

/** Written atomically (rename), so `mcpx-agent status` never reads half a file. */
export async function writeStatus(stateDir: string, status: AgentStatus): Promise<void> {
  const path = statusPath(stateDir);
  await writeFile(`${path}.tmp`, JSON.stringify(status, null, 2), { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}

export async function readStatus(stateDir: string): Promise<AgentStatus | null> {
  try {
    return JSON.parse(await readFile(statusPath(stateDir), "utf8")) as AgentStatus;
  } catch {
    return null;
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
