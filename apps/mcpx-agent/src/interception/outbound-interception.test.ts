// Interception of unmodified MCP servers, end to end, for the kinds of HTTP client that published
// servers use: Node's global fetch, node-fetch, http(s).request with its own Agent, axios, and
// Python's urllib. Each server is spawned exactly as the agent spawns stdio servers
// (connectUpstream: the SDK's StdioClientTransport with the default environment, the server's
// configured env, then childProxyEnvironment() merged last), and calls a public-looking name
// (api.example-stand-in.test) that only the recording proxy can reach.
//
// Covered here:
//   - HTTP and HTTPS calls go through the proxy (absolute form for http, CONNECT for https) with
//     the server's own proxy identity, and arrive at the stand-in with the right Host, SNI, method,
//     path and body; certificate verification stays on, trust comes only from the CA variables
//     (never NODE_TLS_REJECT_UNAUTHORIZED), both when the proxy tunnels (the child verifies the
//     stand-in) and when it terminates TLS (the child verifies the agent CA's leaf, and the proxy
//     sees method, host and path inside HTTPS);
//   - a child that does not trust the agent CA fails the call, and nothing arrives;
//   - NO_PROXY=* / no_proxy=* / GLOBAL_AGENT_NO_PROXY=* and another HTTP(S)_PROXY in the server's
//     configured env or the inherited parent env do not let calls bypass (and a control run shows
//     that without the override they would: the guard catches that bypass);
//   - stdout carries MCP messages only, even with ROARR_LOG=true inherited.
// Not covered, by design (the strict mode's job, see docs/THREAT-MODEL.md): raw net/tls sockets,
// http2.connect, an explicit undici Agent/Client passed as `dispatcher`, a server that rewrites its
// own environment or NODE_OPTIONS, and clients that ignore proxy variables (preload.test.ts shows
// http2 and an explicit undici Agent bypassing).
//
// No traffic leaves loopback: the proxy maps names to 127.0.0.1 ports and every child runs with a
// loopback guard that refuses other DNS lookups and addresses (it reports on stderr, checked here).
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callFetchUrl,
  type InterceptionSetup,
  OUTBOUND_SERVERS,
  type OutboundServerKind,
  outboundServerConfig,
  parseFetchUrlResult,
  STAND_IN_HOST,
  startInterceptionSetup,
} from "../testing/outbound/interception-harness";
import { nonMcpLines, spawnRawSession } from "../testing/outbound/raw-stdio-session";
import type { ProxyEvent } from "../testing/outbound/recording-proxy";
import type { UpstreamEcho } from "../testing/outbound/stand-in-upstream";
import { createTestCa } from "../testing/outbound/test-ca";
import { connectUpstream } from "../upstream/connect-upstream";
import { writeCaBundles } from "./ca-bundle";
import { childProxyEnvironment, PRELOAD_PATH } from "./child-environment";

const TIMEOUT = 60_000;

/** What a user's config or shell might carry, which must not let calls bypass the proxy. */
const HOSTILE_INHERITED = {
  NO_PROXY: "*",
  no_proxy: "*",
  GLOBAL_AGENT_NO_PROXY: "*",
  HTTP_PROXY: "http://127.0.0.1:9",
  HTTPS_PROXY: "http://127.0.0.1:9",
};

function envFor(
  setup: InterceptionSetup,
  identity: string,
  existingNodeOptions: string | undefined,
  bundle = setup.bundle,
) {
  return childProxyEnvironment({
    proxyUrl: setup.proxy.urlWithIdentity(identity, "s3cret"),
    caBundlePath: bundle.bundlePath,
    extraCaPath: bundle.extraPath,
    preloadPath: PRELOAD_PATH,
    existingNodeOptions,
  });
}

interface Spawned {
  client: Client;
  stderr: string[];
  close(): Promise<void>;
}

/** Spawns a stand-in server the way the agent does, with a hostile configured env. */
async function spawnLikeTheAgent(
  kind: OutboundServerKind,
  setup: InterceptionSetup,
  identity: string,
  bundle = setup.bundle,
): Promise<Spawned> {
  const config = outboundServerConfig(kind, HOSTILE_INHERITED);
  const childEnv = envFor(setup, identity, config.env.NODE_OPTIONS, bundle);
  const stderr: string[] = [];
  const { client } = await connectUpstream(config, {
    childEnv,
    onStderrLine: (line) => stderr.push(line),
  });
  return { client, stderr, close: () => client.close() };
}

function eventsOf(setup: InterceptionSetup, identity: string): ProxyEvent[] {
  return setup.proxy.events.filter((e) => e.credentials === `${identity}:s3cret`);
}

function echoOf(body: string | undefined): UpstreamEcho {
  return JSON.parse(body ?? "") as UpstreamEcho;
}

for (const mode of ["tunnel", "mitm"] as const) {
  describe(`through a ${mode === "tunnel" ? "tunnelling" : "TLS-terminating"} proxy`, {
    timeout: TIMEOUT,
  }, () => {
    let setup: InterceptionSetup;
    beforeAll(async () => {
      setup = await startInterceptionSetup(mode);
    });
    afterAll(async () => {
      await setup?.close();
    });

    describe.each(OUTBOUND_SERVERS)("the %s server", (kind) => {
      it("sends HTTP and HTTPS calls to a public name through the proxy, with its identity", async () => {
        const identity = `${kind}-${mode}`;
        const server = await spawnLikeTheAgent(kind, setup, identity);
        try {
          for (const scheme of ["http", "https"] as const) {
            const path = `/v1/${identity}/${scheme}?page=2`;
            const result = await callFetchUrl(server.client, {
              url: `${scheme}://${STAND_IN_HOST}${path}`,
              method: "POST",
              body: `hello from ${identity}`,
            });
            expect(result, result.text).toMatchObject({ isError: false, status: 200 });
            expect(echoOf(result.body)).toEqual({
              standIn: true,
              scheme,
              method: "POST",
              host: STAND_IN_HOST,
              path,
              body: `hello from ${identity}`,
            });
            const arrived = setup.upstream.requests.filter((r) => r.path === path);
            expect(arrived).toHaveLength(1);
            expect(arrived[0]?.sni).toBe(scheme === "https" ? STAND_IN_HOST : null);

            const seen = eventsOf(setup, identity);
            if (scheme === "http") {
              expect(seen).toContainEqual(
                expect.objectContaining({
                  kind: "absolute",
                  method: "POST",
                  url: `http://${STAND_IN_HOST}${path}`,
                  outcome: "forwarded",
                }),
              );
            } else {
              expect(seen).toContainEqual(
                expect.objectContaining({
                  kind: "connect",
                  authority: `${STAND_IN_HOST}:443`,
                  outcome: "forwarded",
                }),
              );
              if (mode === "mitm") {
                expect(seen).toContainEqual(
                  expect.objectContaining({
                    kind: "tunnelled",
                    method: "POST",
                    url: `https://${STAND_IN_HOST}${path}`,
                  }),
                );
              }
            }
          }
          // Every proxy request of this server carried its identity; none went anywhere else.
          expect(eventsOf(setup, identity).every((e) => e.outcome === "forwarded")).toBe(true);
          expect(server.stderr.filter((l) => /loopback-guard|mcpx-agent preload/.test(l))).toEqual(
            [],
          );
        } finally {
          await server.close();
        }
      });

      it("keeps stdout for MCP messages only, with the whole parent env inherited", async () => {
        const identity = `${kind}-${mode}-raw`;
        const config = outboundServerConfig(kind);
        // Worst case: everything of the parent inherited (NO_PROXY=*, another proxy, roarr's
        // stdout logging switched on), the configured env over it, the proxy settings last.
        const inherited = { ...stringEnv(process.env), ...HOSTILE_INHERITED, ROARR_LOG: "true" };
        const env = {
          ...inherited,
          ...config.env,
          ...envFor(setup, identity, config.env.NODE_OPTIONS),
        };
        const session = spawnRawSession(config.command, config.args, env);
        const init = await session.request("initialize", {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "raw-test", version: "1" },
        });
        expect(init.error).toBeUndefined();
        session.notify("notifications/initialized");
        const tools = await session.request("tools/list", {});
        expect(JSON.stringify(tools.result)).toContain("fetch_url");
        for (const scheme of ["http", "https"] as const) {
          const answer = await session.request("tools/call", {
            name: "fetch_url",
            arguments: { url: `${scheme}://${STAND_IN_HOST}/raw/${identity}/${scheme}` },
          });
          const result = parseFetchUrlResult(
            answer.result as { isError?: boolean; content: { type: string; text?: string }[] },
          );
          expect(result, result.text).toMatchObject({ isError: false, status: 200 });
        }
        const { stdout, stderr } = await session.finish();
        expect(nonMcpLines(stdout)).toEqual([]);
        expect(stdout.trim().split("\n")).toHaveLength(4); // initialize, tools/list, 2 calls
        expect(stderr).not.toMatch(/loopback-guard|mcpx-agent preload/);
        expect(eventsOf(setup, identity).length).toBeGreaterThanOrEqual(2);
      });

      it("bypasses the proxy when NO_PROXY=* is NOT overridden (control: the guard sees it)", async () => {
        const identity = `${kind}-${mode}-control`;
        const config = outboundServerConfig(kind);
        const env = {
          ...getDefaultEnvironment(),
          ...config.env,
          ...envFor(setup, identity, config.env.NODE_OPTIONS),
          // What a naive merge would leave: the inherited exemptions win.
          NO_PROXY: "*",
          no_proxy: "*",
          GLOBAL_AGENT_NO_PROXY: "*",
        };
        const session = spawnRawSession(config.command, config.args, env);
        await session.request("initialize", {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "raw-test", version: "1" },
        });
        session.notify("notifications/initialized");
        const answer = await session.request("tools/call", {
          name: "fetch_url",
          arguments: { url: `https://${STAND_IN_HOST}/control/${identity}` },
        });
        const result = parseFetchUrlResult(
          answer.result as { isError?: boolean; content: { type: string; text?: string }[] },
        );
        const { stderr } = await session.finish();
        expect(result.isError).toBe(true);
        expect(stderr).toContain(`[loopback-guard] refused DNS lookup of ${STAND_IN_HOST}`);
        expect(eventsOf(setup, identity)).toEqual([]);
        expect(setup.upstream.requests.some((r) => r.path.includes(identity))).toBe(false);
      });
    });
  });
}

describe("certificate verification stays on", { timeout: TIMEOUT }, () => {
  let setup: InterceptionSetup;
  let untrusted: Awaited<ReturnType<typeof writeCaBundles>>;
  beforeAll(async () => {
    setup = await startInterceptionSetup("mitm");
    // Bundles built around some other CA: the child does not trust the proxy's leaves.
    const stranger = await createTestCa("a CA nobody uses");
    untrusted = await writeCaBundles({
      directory: `${setup.directory}/untrusted`,
      agentCaPem: stranger.certPem,
    });
  });
  afterAll(async () => {
    await setup?.close();
  });

  it.each(OUTBOUND_SERVERS)(
    "the %s server refuses a leaf from a CA it was not given",
    async (kind) => {
      const identity = `${kind}-untrusted`;
      const server = await spawnLikeTheAgent(kind, setup, identity, untrusted);
      try {
        const path = `/untrusted/${identity}`;
        const result = await callFetchUrl(server.client, {
          url: `https://${STAND_IN_HOST}${path}`,
        });
        expect(result.isError, result.text).toBe(true);
        expect(result.text).toMatch(/certificate|CERT|self.signed|issuer/i);
        // It went to the proxy (CONNECT), but no request was ever sent inside the tunnel.
        expect(eventsOf(setup, identity)).toContainEqual(
          expect.objectContaining({ kind: "connect" }),
        );
        expect(eventsOf(setup, identity).some((e) => e.kind === "tunnelled")).toBe(false);
        expect(setup.upstream.requests.some((r) => r.path === path)).toBe(false);
      } finally {
        await server.close();
      }
    },
  );
});

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
