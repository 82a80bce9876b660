import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AGENT_FILE, AgentIdentityError, agentName, loadAgentIdentity } from "./agent-identity";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("agent identity", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "mcpx-identity-"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("creates a UUIDv7 agent id on first run, in a 0700 directory and a 0600 file", async () => {
    const stateDir = join(root, "nested", ".mcpx");
    const identity = await loadAgentIdentity({ stateDir });
    expect(identity.agentId).toMatch(UUID_V7);
    expect(identity.stateDir).toBe(stateDir);
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
    const file = join(stateDir, AGENT_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ agentId: identity.agentId });
  });

  it("keeps the same id across restarts", async () => {
    const first = await loadAgentIdentity({ stateDir: root });
    const second = await loadAgentIdentity({ stateDir: root });
    expect(second.agentId).toBe(first.agentId);
  });

  it("gives every install (state directory) its own id", async () => {
    const a = await loadAgentIdentity({ stateDir: join(root, "a") });
    const b = await loadAgentIdentity({ stateDir: join(root, "b") });
    expect(a.agentId).not.toBe(b.agentId);
  });

  it("agrees on one id when several processes start at once, and leaves no temporary files", async () => {
    const identities = await Promise.all(
      Array.from({ length: 20 }, () => loadAgentIdentity({ stateDir: root })),
    );
    expect(new Set(identities.map((i) => i.agentId)).size).toBe(1);
    expect(await readdir(root)).toEqual([AGENT_FILE]);
  });

  it("leaves the permissions of a directory the user made alone", async () => {
    const stateDir = join(root, "mine");
    await mkdir(stateDir, { mode: 0o750 });
    await loadAgentIdentity({ stateDir });
    expect((await stat(stateDir)).mode & 0o777).toBe(0o750);
  });

  it("refuses a corrupt agent file with a message naming it, instead of becoming a new agent", async () => {
    await writeFile(join(root, AGENT_FILE), '{"agentId": "not-a-uuid"}');
    const error = await loadAgentIdentity({ stateDir: root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentIdentityError);
    expect(String(error)).toContain(join(root, AGENT_FILE));
    await writeFile(join(root, AGENT_FILE), "{ torn");
    await expect(loadAgentIdentity({ stateDir: root })).rejects.toThrow(/not a valid agent file/);
  });

  it("is named after the host unless given a name, within the gateway's 128 characters", async () => {
    expect((await loadAgentIdentity({ stateDir: root })).name).toBe(hostname());
    expect((await loadAgentIdentity({ stateDir: root, name: "alice-laptop" })).name).toBe(
      "alice-laptop",
    );
    expect(agentName("  ")).toBe(hostname() || "mcpx-agent");
    expect(agentName("x".repeat(300))).toHaveLength(128);
  });
});
