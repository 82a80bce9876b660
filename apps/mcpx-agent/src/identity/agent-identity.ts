import { randomUUID } from "node:crypto";
import { chmod, link, mkdir, open, readFile, unlink } from "node:fs/promises";
import { homedir, hostname } from "node:os";
import { join } from "node:path";
import { newEventId } from "@lunar/shared";
import { z } from "zod";
import { fsyncDirectory } from "../reporter/fsync-directory";

/** Where an install keeps its id, spool and status unless told otherwise. */
export function defaultStateDir(): string {
  return join(homedir(), ".mcpx");
}

export const AGENT_FILE = "agent.json";
/** The gateway's hello accepts names of 1–128 characters. */
const MAX_NAME_LENGTH = 128;

const ZAgentFile = z.object({ agentId: z.uuid() });

export interface AgentIdentity {
  /** Stable per install: the gateway keys the agent's row (and replacement) on it. */
  agentId: string;
  /** Shown in the dashboard: the given name, else the machine's host name. */
  name: string;
  stateDir: string;
}

export class AgentIdentityError extends Error {}

/**
 * The install's identity: read from `<stateDir>/agent.json`, or created there on first run
 * (directory 0700, file 0600: the state directory also holds the spool of what the agent saw).
 */
export async function loadAgentIdentity(
  options: { stateDir?: string; name?: string } = {},
): Promise<AgentIdentity> {
  const stateDir = options.stateDir ?? defaultStateDir();
  await ensureStateDir(stateDir);
  const agentId = (await readAgentId(stateDir)) ?? (await createAgentId(stateDir));
  return { agentId, name: agentName(options.name), stateDir };
}

/** Creates the state directory owner-only; an existing one is left as its owner set it. */
export async function ensureStateDir(stateDir: string): Promise<void> {
  const created = await mkdir(stateDir, { recursive: true, mode: 0o700 });
  // mkdir's mode is filtered by the umask; say it explicitly for the directory we made.
  if (created !== undefined) await chmod(stateDir, 0o700);
}

export function agentName(given?: string): string {
  return (given?.trim() || hostname().trim() || "mcpx-agent").slice(0, MAX_NAME_LENGTH);
}

async function readAgentId(stateDir: string): Promise<string | null> {
  const path = join(stateDir, AGENT_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const agentId = agentIdFrom(text);
  if (agentId === null) {
    // A silent new id would make this install a second agent in the dashboard: say so instead.
    throw new AgentIdentityError(
      `${path} is not a valid agent file (expected {"agentId": "<uuid>"}); ` +
        "fix it, or delete it to give this install a new identity",
    );
  }
  return agentId;
}

function agentIdFrom(text: string): string | null {
  try {
    const parsed = ZAgentFile.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.agentId : null;
  } catch {
    return null;
  }
}

/**
 * Writes a complete file under a temporary name, then links it into place: the link fails if
 * another process got there first (we then use its id), and nobody ever reads a half-written file.
 */
async function createAgentId(stateDir: string): Promise<string> {
  const path = join(stateDir, AGENT_FILE);
  const temporary = join(stateDir, `.${AGENT_FILE}.${randomUUID()}.tmp`);
  const agentId = newEventId();
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(`${JSON.stringify({ agentId }, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, path);
    // The id must survive a power cut too, or the install would come back as a new agent.
    await fsyncDirectory(stateDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const winner = await readAgentId(stateDir);
    if (winner === null) throw error;
    return winner;
  } finally {
    await unlink(temporary).catch(() => {});
  }
  return agentId;
}
