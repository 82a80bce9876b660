import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TAgentEvent } from "@lunar/shared";
import { build } from "esbuild";
import { ProxyAgent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { absoluteGet } from "../testing/absolute-get";
import { type StandInUpstream, startStandInUpstream } from "../testing/outbound/stand-in-upstream";

// The egress proxy uses documented Node APIs only, so it runs under Node's permission model:
// `mcpx-agent proxy`, bundled to plain JavaScript (tsx itself needs a worker thread and a child
// process, which the model forbids unless allowed), started with reads limited to its own folder,
// writes to its state directory, and no worker threads or child processes. It relays
// plain HTTP, a blind CONNECT tunnel and an inspected one to local stand-in upstreams.
const CLI = fileURLToPath(new URL("../cli.ts", import.meta.url));
const PACKAGE_JSON = fileURLToPath(new URL("../../package.json", import.meta.url));
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has("--permission")
  ? "--permission"
  : "--experimental-permission";

const FLOWS = `
Allow:
  processor: Filter
  parameters:
    - key: urls
      value: ["plain.example/*", "blind.example/*", "inspected.example/api/*"]
`;

describe("egress proxy under Node's permission model", { timeout: 60_000 }, () => {
  let dir: string;
  let permissionFlags: string[];
  let upstream: StandInUpstream;
  let proxy: ChildProcess;
  let proxyUrl: string;
  const events: TAgentEvent[] = [];
  const eventWaiters: { match: (event: TAgentEvent) => boolean; resolve: () => void }[] = [];

  /** Resolves once the proxy has logged an event that matches (events are written on stderr). */
  function eventMatching(match: (event: TAgentEvent) => boolean): Promise<TAgentEvent> {
    return new Promise((resolve) => {
      const check = () => {
        const found = events.find(match);
        if (!found) return false;
        resolve(found);
        return true;
      };
      if (!check()) eventWaiters.push({ match, resolve: () => check() });
    });
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mcpx-permission-"));
    // Laid out as the installed package is: the bundle in dist/, package.json (name and version,
    // read at start) one folder up, both inside the folder reads are allowed in.
    const bundle = join(dir, "dist", "mcpx-agent.mjs");
    await mkdir(join(dir, "dist"));
    await writeFile(join(dir, "package.json"), await readFile(PACKAGE_JSON));
    await build({
      entryPoints: [CLI],
      outfile: bundle,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "error",
      // Bundled CommonJS dependencies call require().
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    upstream = await startStandInUpstream({
      names: ["plain.example", "blind.example", "inspected.example"],
    });
    await writeFile(join(dir, "flows.yaml"), FLOWS);
    await writeFile(join(dir, "upstream-ca.pem"), upstream.caPem);
    const stateDir = join(dir, "state");
    await mkdir(stateDir);
    permissionFlags = [
      PERMISSION_FLAG,
      `--allow-fs-read=${dir}/*`,
      `--allow-fs-write=${stateDir}/*`,
      "--no-warnings",
    ];
    proxy = spawn(
      process.execPath,
      [
        ...permissionFlags,
        bundle,
        "proxy",
        ...["--port", "0", "--log-level", "info", "--state-dir", stateDir],
        ...["--flows", join(dir, "flows.yaml"), "--trust-ca", join(dir, "upstream-ca.pem")],
        ...["--resolve", `plain.example=127.0.0.1:${upstream.httpPort}`],
        ...["--resolve", `blind.example=127.0.0.1:${upstream.httpsPort}`],
        ...["--resolve", `inspected.example=127.0.0.1:${upstream.httpsPort}`],
        ...["--skip-inspection", "blind.example"],
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    const exited = once(proxy, "exit").then(([code]) => {
      throw new Error(`the proxy exited (${code}) under the permission model`);
    });
    const listening = new Promise<string>((resolve) => {
      createInterface({ input: proxy.stderr as NodeJS.ReadableStream }).on("line", (line) => {
        const url = /egress proxy on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
        if (url) resolve(url);
        if (!line.startsWith("{")) return;
        const logged = JSON.parse(line) as { event?: TAgentEvent };
        if (!logged.event) return;
        events.push(logged.event);
        for (const waiter of eventWaiters.splice(0)) waiter.resolve();
      });
    });
    proxyUrl = await Promise.race([listening, exited]);
  });
  afterAll(async () => {
    proxy?.kill("SIGKILL");
    await upstream?.close();
  });

  it("is really confined: the same flags refuse writes elsewhere, workers and child processes", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      ...permissionFlags,
      "-p",
      `process.permission.has("fs.write", ${JSON.stringify(join(dir, "elsewhere"))}) + " " + process.permission.has("worker") + " " + process.permission.has("child")`,
    ]);
    expect(stdout.trim()).toBe("false false false");
  });

  it("relays a plain HTTP request, decided and recorded", async () => {
    const response = await absoluteGet(
      new URL(proxyUrl).port,
      "http://plain.example/api/x?token=abc",
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ scheme: "http", path: "/api/x?token=abc" });
    expect(
      await eventMatching((event) => event.type === "http_call" && event.host === "plain.example"),
    ).toMatchObject({
      decision: "allowed",
      status: 200,
      inspected: true,
      path: "/api/x?token=[redacted]",
    });
  });

  it("relays a blind CONNECT tunnel, counting its bytes", async () => {
    const agent = new ProxyAgent({ uri: proxyUrl, requestTls: { ca: [upstream.caPem] } });
    const response = await request("https://blind.example/api/tunnel", { dispatcher: agent });
    const body = (await response.body.json()) as { scheme: string; path: string };
    expect(response.statusCode).toBe(200);
    expect(body).toMatchObject({ scheme: "https", path: "/api/tunnel" });
    expect(upstream.requests.at(-1)?.sni).toBe("blind.example");
    // The tunnel is recorded when it closes.
    await agent.close();
    const event = await eventMatching(
      (event) => event.type === "http_call" && event.host === "blind.example",
    );
    expect(event).toMatchObject({ method: "CONNECT", decision: "allowed", inspected: false });
    expect(event.type === "http_call" && event.bytesIn > 0 && event.bytesOut > 0).toBe(true);
  });

  it("relays an inspected HTTPS request and refuses one the flows do not allow", async () => {
    const agentCa = await readFile(join(dir, "state", "tls", "ca.pem"), "utf8");
    const agent = new ProxyAgent({ uri: proxyUrl, requestTls: { ca: [agentCa] } });
    try {
      const allowed = await request("https://inspected.example/api/z", { dispatcher: agent });
      expect(allowed.statusCode).toBe(200);
      expect(await allowed.body.json()).toMatchObject({ scheme: "https", path: "/api/z" });
      const refused = await request("https://inspected.example/admin", { dispatcher: agent });
      expect(refused.statusCode).toBe(403);
      expect(await refused.body.text()).toBe("Forbidden Access");
    } finally {
      await agent.close();
    }
    expect(
      await eventMatching((event) => event.type === "http_call" && event.path === "/admin"),
    ).toMatchObject({ decision: "blocked", rule: "org:Allow", inspected: true });
  });
});
