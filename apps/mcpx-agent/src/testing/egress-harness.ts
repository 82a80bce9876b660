import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFlowsYaml, type TAgentEvent } from "@lunar/shared";
import pino from "pino";
import { ProxyAgent, request } from "undici";
import { parse } from "yaml";
import { CertificateAuthority } from "../egress/certificate-authority";
import { loopbackOnlyDialer } from "../egress/dialer";
import type { EgressContext, ResolveOverride } from "../egress/egress-context";
import { startEgressProxy } from "../egress/egress-proxy";
import { FlowsState } from "../egress/flows-state";
import { type StandInUpstream, startStandInUpstream } from "./outbound/stand-in-upstream";

export const STAND_IN_NAMES = [
  "slack.com",
  "api.slack.com",
  "maps.googleapis.com",
  "a.b.googleapis.com",
  "api.badactor.com",
  "example.org",
];

/**
 * A real egress proxy in front of a local stand-in for the public hosts above: each name is
 * mapped to the stand-in with --resolve-style overrides (port 443 → its HTTPS port, 80 → HTTP),
 * and the dialer refuses anything but loopback, so no test can reach the internet.
 */
export async function startEgressHarness(
  options: { flowsYaml?: string; failClosed?: boolean; server?: string } = {},
) {
  const upstream: StandInUpstream = await startStandInUpstream({ names: STAND_IN_NAMES });
  const ca = await CertificateAuthority.loadOrCreate(await mkdtemp(join(tmpdir(), "mcpx-ca-")));
  const overrides = new Map<string, ResolveOverride>();
  for (const name of STAND_IN_NAMES) {
    overrides.set(`${name}:443`, { address: "127.0.0.1", port: upstream.httpsPort });
    overrides.set(`${name}:80`, { address: "127.0.0.1", port: upstream.httpPort });
  }
  const log = pino({ level: "silent" });
  const flows = new FlowsState({ failClosed: options.failClosed ?? false, cachePath: null, log });
  if (options.flowsYaml !== undefined) {
    const load = parseFlowsYaml(options.flowsYaml);
    if (!load.ok) throw new Error(`bad test flows: ${JSON.stringify(load.errors)}`);
    flows.apply(1, toPlain(options.flowsYaml), "file");
  }
  const events: TAgentEvent[] = [];
  const dialer = loopbackOnlyDialer();
  const context: EgressContext = {
    server: options.server ?? "slack",
    flows,
    dialer,
    resolveOverrides: overrides,
    ca,
    noInspect: new Set(),
    upstreamCAs: [upstream.caPem],
    ownPorts: new Set(),
    builtinAllow: new Map(),
    correlationId: () => null,
    record: (event) => events.push(event),
    log,
  };
  const proxy = await startEgressProxy(context);
  const agent = new ProxyAgent({ uri: proxy.url, requestTls: { ca: [ca.certPem] } });
  return {
    upstream,
    proxy,
    flows,
    events,
    dialer,
    context,
    agent,
    /** A request the way an unmodified client with HTTPS_PROXY makes it (CONNECT, then TLS). */
    async fetch(
      url: string,
      init: { method?: string; headers?: Record<string, string>; body?: string } = {},
    ) {
      const response = await request(url, {
        dispatcher: agent,
        method: (init.method ?? "GET") as "GET",
        headers: init.headers,
        body: init.body,
      });
      return {
        status: response.statusCode,
        text: await response.body.text(),
        headers: response.headers,
      };
    },
    async close() {
      await agent.close();
      await proxy.close();
      await upstream.close();
    },
  };
}

/** Flows documents travel as plain JSON (what the gateway sends); parse the YAML to that. */
export function toPlain(yamlText: string): unknown {
  return parse(yamlText);
}
