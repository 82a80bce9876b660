import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const MODULE = fileURLToPath(new URL("./process-faults.ts", import.meta.url));

// A child process throws from a timer and rejects a promise nobody awaits, after installing the
// handlers: it must log both and go on to finish its own work (exit 0), where Node's default is
// to exit 1 at the first.
const SCRIPT = `
  import pino from "pino";
  import { installProcessFaultHandlers } from ${JSON.stringify(MODULE)};
  const faults = installProcessFaultHandlers(pino({ level: "error" }, pino.destination(2)));
  setTimeout(() => { throw new Error("escaped from a timer"); }, 0);
  setTimeout(() => { void Promise.reject(new Error("nobody awaited this")); }, 5);
  setTimeout(() => { process.stdout.write("still running after " + faults.count()); }, 50);
`;

describe("process fault handlers", () => {
  it("log and count what escaped every handler, and the agent keeps running", async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", SCRIPT],
      { cwd: fileURLToPath(new URL("..", import.meta.url)) },
    );
    expect(stdout).toBe("still running after 2");
    expect(stderr).toContain("escaped from a timer");
    expect(stderr).toContain("nobody awaited this");
  });
});
