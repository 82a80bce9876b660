import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AGENT_NODE_FLAGS } from "./node-flags";

const BIN = fileURLToPath(new URL("../bin/mcpx-agent.mjs", import.meta.url));

describe("the agent's Node flags", () => {
  it("are the ones bin/mcpx-agent.mjs's first line starts Node with", () => {
    const shebang = readFileSync(BIN, "utf8").split("\n")[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${AGENT_NODE_FLAGS.join(" ")}`);
  });

  it("are accepted by this Node when the bin is run directly", async () => {
    const output = await new Promise<string>((resolve, reject) =>
      execFile(BIN, ["--version"], (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    expect(output.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
