// The installable agent, checked as users get it (scripts/lib/agent-package-check.ts): packed
// once, installed and run on each supported Node. Needs DATABASE_URL (a Postgres server).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkInstalledAgent, packAgent } from "./lib/agent-package-check";
import { ensureNodeRuntime, SUPPORTED_NODE_MAJORS } from "./lib/node-runtime";

const packDir = await mkdtemp(join(tmpdir(), "mcpx-agent-pack-"));
let exitCode = 0;
try {
  const tarball = await packAgent(packDir);
  for (const major of SUPPORTED_NODE_MAJORS) {
    const bin = await ensureNodeRuntime(major);
    if (bin === null) {
      process.stderr.write(`[agent package] Node ${major}: no build for this machine; skipped\n`);
      continue;
    }
    process.stderr.write(`[agent package] Node ${major}\n`);
    await checkInstalledAgent(tarball, bin);
  }
} catch (error) {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  exitCode = 1;
} finally {
  await rm(packDir, { recursive: true, force: true });
}
process.exit(exitCode);
