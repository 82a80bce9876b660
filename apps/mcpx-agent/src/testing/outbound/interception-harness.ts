// Test plumbing for the interception tests: a stand-in upstream, a recording proxy in front of it,
// the CA bundle files, and the four outbound stand-in servers as mcp.json entries.
//
// Every spawned server also gets a loopback guard (loopback-guard.cjs for Node through its
// configured NODE_OPTIONS; python-loopback-guard/sitecustomize.py through PYTHONPATH) so that a
// client that bypassed the proxy fails locally, says so on stderr, and never sends a DNS query
// for the public-looking test names to the machine's (non-loopback) resolver.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { TStdioServerConfig } from "../../config/mcp-config-schema";
import { type CaBundleFiles, writeCaBundles } from "../../interception/ca-bundle";
import { quoteNodeOption } from "../../interception/child-environment";
import {
  type RecordingProxy,
  type RecordingProxyOptions,
  standInRoutes,
  startRecordingProxy,
} from "./recording-proxy";
import { type StandInUpstream, startStandInUpstream } from "./stand-in-upstream";
import { createTestCa, type TestCa } from "./test-ca";

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Public-looking names that only the recording proxy can reach (RFC 6761 `.test`). */
export const STAND_IN_HOST = "api.example-stand-in.test";
export const OTHER_STAND_IN_HOST = "uploads.example-stand-in.test";

export const LOOPBACK_GUARD_PRELOAD = here("./loopback-guard.cjs");
export const PYTHON_LOOPBACK_GUARD_DIR = here("./python-loopback-guard");

export const OUTBOUND_SERVERS = [
  "fetch",
  "node-fetch",
  "http-request",
  "axios",
  "python-urllib",
] as const;
export type OutboundServerKind = (typeof OUTBOUND_SERVERS)[number];

const ENTRY_POINTS: Record<OutboundServerKind, string> = {
  fetch: here("./fetch-server.ts"),
  "node-fetch": here("./node-fetch-server.ts"),
  "http-request": here("./http-request-server.ts"),
  axios: here("./axios-server.ts"),
  "python-urllib": here("./python_urllib_server.py"),
};

/** The env a server's own configuration carries: the loopback guard, plus whatever is given. */
export function guardEnvironment(kind: OutboundServerKind): Record<string, string> {
  return kind === "python-urllib"
    ? { PYTHONPATH: PYTHON_LOOPBACK_GUARD_DIR, PYTHONDONTWRITEBYTECODE: "1" }
    : { NODE_OPTIONS: `--require ${quoteNodeOption(LOOPBACK_GUARD_PRELOAD)}` };
}

/** The mcp.json entry for a stand-in server, with `env` as its configured environment. */
export function outboundServerConfig(
  kind: OutboundServerKind,
  env: Record<string, string> = {},
): TStdioServerConfig {
  const entry = ENTRY_POINTS[kind];
  return kind === "python-urllib"
    ? { command: "python3", args: [entry], env: { ...guardEnvironment(kind), ...env } }
    : {
        command: process.execPath,
        args: ["--import", "tsx", entry],
        env: { ...guardEnvironment(kind), ...env },
      };
}

export interface InterceptionSetup {
  upstream: StandInUpstream;
  proxy: RecordingProxy;
  /** The "agent CA" the children trust (the proxy's MITM CA in mitm mode). */
  agentCa: TestCa;
  /** Bundle files children get: agent CA (+ the stand-in CA in tunnel mode) + system roots. */
  bundle: CaBundleFiles;
  directory: string;
  close(): Promise<void>;
}

/**
 * Starts a stand-in upstream and a recording proxy in front of it. In tunnel mode the children
 * talk TLS to the stand-in itself, so its CA goes into their bundle as an extra CA; in mitm mode
 * only the proxy trusts the stand-in CA and the children trust only the agent CA (as in the agent).
 */
export async function startInterceptionSetup(
  mode: RecordingProxyOptions["mode"],
): Promise<InterceptionSetup> {
  const names = [STAND_IN_HOST, OTHER_STAND_IN_HOST];
  const upstream = await startStandInUpstream({ names });
  const agentCa = await createTestCa("mcpx test agent CA");
  const proxy = await startRecordingProxy({
    mode,
    routes: standInRoutes(names, upstream),
    mitmCa: agentCa,
    upstreamCaPem: upstream.caPem,
  });
  const directory = await mkdtemp(join(tmpdir(), "mcpx-interception-"));
  const bundle = await writeCaBundles({
    directory,
    agentCaPem: agentCa.certPem,
    extraCaPems: mode === "tunnel" ? [upstream.caPem] : [],
  });
  return {
    upstream,
    proxy,
    agentCa,
    bundle,
    directory,
    close: async () => {
      await proxy.close();
      await upstream.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export interface FetchUrlResult {
  isError: boolean;
  /** The tool's text: `{"status":…,"body":"…"}` or an error description. */
  text: string;
  status?: number;
  body?: string;
}

export async function callFetchUrl(
  client: Client,
  args: { url: string; method?: string; body?: string },
): Promise<FetchUrlResult> {
  const result = (await client.callTool({ name: "fetch_url", arguments: args })) as {
    isError?: boolean;
    content: { type: string; text?: string }[];
  };
  return parseFetchUrlResult(result);
}

export function parseFetchUrlResult(result: {
  isError?: boolean;
  content: { type: string; text?: string }[];
}): FetchUrlResult {
  const text = result.content[0]?.text ?? "";
  if (result.isError) return { isError: true, text };
  const answer = JSON.parse(text) as { status: number; body: string };
  return { isError: false, text, status: answer.status, body: answer.body };
}
