// The Node preload (preload.cjs) in plain Node processes, outside MCP: silence on stdout, one
// stderr line and no crash when it cannot load, no effect without proxy variables, loading twice,
// ESM named imports of node:https, Node grandchildren (NODE_OPTIONS is inherited), and trust of
// the agent CA through NODE_EXTRA_CA_CERTS with verification on. The MCP server kinds are
// covered end to end in outbound-interception.test.ts.
//
// Not covered by the preload, and shown here to bypass it (the strict mode's job): http2.connect
// and an undici Agent passed explicitly as `dispatcher`. Raw net/tls sockets are not covered
// either (not shown: they bypass by construction).
//
// Every process runs with the loopback guard, so a bypass fails locally (and says so on stderr)
// instead of querying the machine's resolver; the proxy maps the public-looking names to 127.0.0.1.
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type InterceptionSetup,
  LOOPBACK_GUARD_PRELOAD,
  STAND_IN_HOST,
  startInterceptionSetup,
} from "../testing/outbound/interception-harness";
import { childProxyEnvironment, nodeOptionsWithPreload, PRELOAD_PATH } from "./child-environment";

const require = createRequire(import.meta.url);
const UNDICI_ENTRY = require.resolve("undici");
const ROOT_NODE_MODULES = dirname(dirname(require.resolve("global-agent/package.json")));
const GUARD_OPTIONS = nodeOptionsWithPreload(undefined, LOOPBACK_GUARD_PRELOAD);

interface Ran {
  stdout: string;
  stderr: string;
  code: number;
}

function runNode(args: string[], env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

describe("preload.cjs", { timeout: 30_000 }, () => {
  let setup: InterceptionSetup;
  let scratch: string;
  beforeAll(async () => {
    setup = await startInterceptionSetup("mitm");
    scratch = await mkdtemp(join(tmpdir(), "mcpx-preload-"));
  });
  afterAll(async () => {
    await setup?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  const envFor = (identity: string, existingNodeOptions = GUARD_OPTIONS) => ({
    PATH: process.env.PATH ?? "",
    ...childProxyEnvironment({
      proxyUrl: setup.proxy.urlWithIdentity(identity, "pw"),
      caBundlePath: setup.bundle.bundlePath,
      extraCaPath: setup.bundle.extraPath,
      preloadPath: PRELOAD_PATH,
      existingNodeOptions,
    }),
  });
  const seenUrls = (identity: string) =>
    setup.proxy.events.filter((e) => e.credentials === `${identity}:pw`).map((e) => e.url);

  it("writes nothing to stdout or stderr (even with ROARR_LOG=true)", async () => {
    const ran = await runNode(["-e", 'process.stdout.write("child output")'], {
      ...envFor("silent"),
      ROARR_LOG: "true",
    });
    expect(ran).toEqual({ stdout: "child output", stderr: "", code: 0 });
  });

  it("routes global fetch and ESM named imports of node:https, trusting the agent CA", async () => {
    const script = `
      import { get } from "node:https";
      const response = await fetch("https://${STAND_IN_HOST}/preload/fetch");
      const status = await new Promise((resolve, reject) =>
        get("https://${STAND_IN_HOST}/preload/esm-get", (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode));
        }).on("error", reject));
      process.stdout.write(response.status + " " + status);`;
    const ran = await runNode(["--input-type=module", "-e", script], envFor("esm"));
    expect(ran).toEqual({ stdout: "200 200", stderr: "", code: 0 });
    expect(seenUrls("esm")).toEqual(
      expect.arrayContaining([
        `https://${STAND_IN_HOST}/preload/fetch`,
        `https://${STAND_IN_HOST}/preload/esm-get`,
      ]),
    );
  });

  it("reaches Node grandchildren through the inherited NODE_OPTIONS", async () => {
    const grandchild = `fetch("https://${STAND_IN_HOST}/preload/grandchild").then((r) => process.stdout.write(String(r.status)))`;
    const script = `
      const { execFileSync } = require("node:child_process");
      process.stdout.write("grandchild said " + execFileSync(process.execPath, ["-e", ${JSON.stringify(grandchild)}]));`;
    const ran = await runNode(["-e", script], envFor("grandchild"));
    expect(ran).toEqual({ stdout: "grandchild said 200", stderr: "", code: 0 });
    expect(seenUrls("grandchild")).toContain(`https://${STAND_IN_HOST}/preload/grandchild`);
  });

  it("leaves a process alone when no proxy variable reached it", async () => {
    const script = `
      const http = require("node:http");
      process.stdout.write(JSON.stringify({
        agent: http.globalAgent instanceof http.Agent,
        globalAgent: globalThis.GLOBAL_AGENT === undefined,
        loaded: globalThis[Symbol.for("mcpx.agent.egressPreload")] === true,
      }));`;
    const ran = await runNode(["-e", script], {
      PATH: process.env.PATH ?? "",
      NODE_OPTIONS: nodeOptionsWithPreload(GUARD_OPTIONS, PRELOAD_PATH),
    });
    expect(ran).toEqual({
      stdout: JSON.stringify({ agent: true, globalAgent: true, loaded: true }),
      stderr: "",
      code: 0,
    });
  });

  it("is harmless when loaded twice from two paths (nested agents)", async () => {
    const copy = join(scratch, "other-install-preload.cjs");
    await copyFile(PRELOAD_PATH, copy);
    const env = {
      ...envFor("twice", nodeOptionsWithPreload(GUARD_OPTIONS, copy)),
      NODE_PATH: ROOT_NODE_MODULES, // lets the copy find undici and global-agent
    };
    const ran = await runNode(
      [
        "-e",
        `fetch("https://${STAND_IN_HOST}/preload/twice").then((r) => process.stdout.write(String(r.status)))`,
      ],
      env,
    );
    expect(ran).toEqual({ stdout: "200", stderr: "", code: 0 });
    expect(seenUrls("twice")).toContain(`https://${STAND_IN_HOST}/preload/twice`);
  });

  it("says so in one stderr line and lets the child run when it cannot load", async () => {
    const copy = join(scratch, "stranded-preload.cjs"); // nothing to resolve undici from here
    await copyFile(PRELOAD_PATH, copy);
    const ran = await runNode(["-e", 'process.stdout.write("still alive")'], {
      ...envFor("stranded", nodeOptionsWithPreload(GUARD_OPTIONS, copy)),
      NODE_PATH: "",
    });
    expect(ran.stdout).toBe("still alive");
    expect(ran.code).toBe(0);
    const lines = ran.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[mcpx-agent preload\] outbound calls may bypass the agent's proxy: global fetch \(undici\): .*; http\/https \(global-agent\): /,
    );
  });

  it("does NOT cover http2.connect or an explicit undici Agent (the strict mode's job)", async () => {
    const script = `
      const { Agent } = require(${JSON.stringify(UNDICI_ENTRY)});
      const http2 = require("node:http2");
      const viaAgent = fetch("https://${STAND_IN_HOST}/preload/explicit-agent", {
        dispatcher: new Agent(),
      }).then(() => "reached", (e) => "failed: " + (e.cause?.message ?? e.message));
      const viaHttp2 = new Promise((resolve) => {
        const session = http2.connect("https://${STAND_IN_HOST}");
        session.on("error", (e) => resolve("failed: " + e.message));
        session.on("connect", () => { session.close(); resolve("reached"); });
      });
      Promise.all([viaAgent, viaHttp2]).then((r) => process.stdout.write(JSON.stringify(r)));`;
    const ran = await runNode(["-e", script], envFor("uncovered"));
    const [viaAgent, viaHttp2] = JSON.parse(ran.stdout) as string[];
    expect(viaAgent).toMatch(/^failed: loopback guard refused DNS lookup/);
    expect(viaHttp2).toMatch(/^failed: loopback guard refused DNS lookup/);
    expect(ran.stderr).toContain(`[loopback-guard] refused DNS lookup of ${STAND_IN_HOST}`);
    expect(seenUrls("uncovered")).toEqual([]);
  });
});
