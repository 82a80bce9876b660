import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseTarget } from "@lunar/shared";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { FlowsState, NO_FLOWS_RULE } from "./flows-state";

const log = pino({ level: "silent" });
const ALLOW_SLACK = {
  Allow: { processor: "Filter", parameters: [{ key: "urls", value: ["slack.com/api/*"] }] },
};

function decideUrl(flows: FlowsState, url: string) {
  const parsed = parseTarget({ kind: "absolute", url });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return flows.decide({ target: parsed.target, method: "GET", server: "slack" });
}

describe("FlowsState: before, without and after flows", () => {
  it("starts in visibility mode: everything allowed and recorded, no rule", () => {
    const flows = new FlowsState({ failClosed: false, cachePath: null, log });
    expect(decideUrl(flows, "https://anything.example/x")).toMatchObject({
      decision: "allowed",
      rule: null,
    });
    expect(flows.source).toBe("none");
  });

  it("fail-closed: blocks everything until flows are loaded, with a rule saying why", () => {
    const flows = new FlowsState({ failClosed: true, cachePath: null, log });
    expect(decideUrl(flows, "https://slack.com/api/x")).toMatchObject({
      decision: "blocked",
      rule: NO_FLOWS_RULE,
    });
    flows.apply(1, ALLOW_SLACK, "gateway");
    expect(decideUrl(flows, "https://slack.com/api/x")).toMatchObject({ decision: "allowed" });
  });

  it("an org with no flows (document null) is visibility mode even when fail-closed", () => {
    const flows = new FlowsState({ failClosed: true, cachePath: null, log });
    flows.apply(0, null, "gateway");
    expect(decideUrl(flows, "https://anything.example/x")).toMatchObject({ decision: "allowed" });
  });

  it("refuses an invalid document and keeps enforcing the previous version", () => {
    const flows = new FlowsState({ failClosed: false, cachePath: null, log });
    flows.apply(1, ALLOW_SLACK, "gateway");
    expect(flows.apply(2, { Broken: { processor: "Nope" } }, "gateway")).toBe(false);
    expect(flows.version).toBe(1);
    expect(decideUrl(flows, "https://evil.io/")).toMatchObject({ decision: "blocked" });
  });

  it("caches the gateway's flows on disk and enforces them after a restart without a gateway", async () => {
    const cachePath = join(await mkdtemp(join(tmpdir(), "flows-cache-")), "flows-cache.json");
    const first = new FlowsState({ failClosed: true, cachePath, log });
    let changed = 0;
    first.onChange(() => changed++);
    first.apply(7, ALLOW_SLACK, "gateway");
    expect(changed).toBe(1);
    // The cache write is asynchronous; a restart reads whatever landed.
    await new Promise((resolve) => setImmediate(resolve));
    const deadline = Date.now() + 2_000;
    let restarted = new FlowsState({ failClosed: true, cachePath, log });
    while (!(await restarted.loadCache()) && Date.now() < deadline) {
      restarted = new FlowsState({ failClosed: true, cachePath, log });
    }
    expect(restarted.version).toBe(7);
    expect(restarted.source).toBe("cache");
    expect(decideUrl(restarted, "https://evil.io/")).toMatchObject({
      decision: "blocked",
      rule: "org:Allow",
    });
  });
});
