import { join } from "node:path";
import { INTERNAL_ADDRESS_RULE, parseTarget, type TAgentEvent } from "@lunar/shared";
import type pino from "pino";
import type { TServerConfig } from "../config/mcp-config-schema";
import { isStdio } from "../config/mcp-config-schema";
import { writeCaBundles } from "../interception/ca-bundle";
import { childProxyEnvironment, PRELOAD_PATH } from "../interception/child-environment";
import { CertificateAuthority } from "./certificate-authority";
import { type Dialer, systemDialer } from "./dialer";
import type { ResolveOverride } from "./egress-context";
import { type RunningEgressProxy, startEgressProxy } from "./egress-proxy";
import type { FlowsState } from "./flows-state";
import { registryAllowance } from "./package-registries";

export interface EgressOptions {
  stateDir: string;
  flows: FlowsState;
  inspectTls: boolean;
  noInspect: ReadonlySet<string>;
  resolveOverrides: ReadonlyMap<string, ResolveOverride>;
  /** Extra CAs (PEM) trusted for upstreams, e.g. local stand-ins in demos and tests. */
  upstreamCAs: readonly string[];
  registryAllowance: boolean;
  ownPorts: Set<number>;
  env: NodeJS.ProcessEnv;
  log: pino.Logger;
  record: (event: TAgentEvent) => void;
  dialer?: Dialer;
}

/**
 * One egress proxy per spawned MCP server (its own port: the port is the server's identity), and
 * the environment that sends the server's HTTP(S) through it and makes it trust the agent's CA.
 */
export class EgressManager {
  private readonly proxies = new Map<string, RunningEgressProxy>();

  private constructor(
    private readonly options: EgressOptions,
    private readonly ca: CertificateAuthority | null,
    private readonly bundles: { caBundlePath: string; extraCaPath: string } | null,
  ) {}

  static async create(options: EgressOptions): Promise<EgressManager> {
    const ca = options.inspectTls
      ? await CertificateAuthority.loadOrCreate(join(options.stateDir, "tls"))
      : null;
    const files = ca
      ? await writeCaBundles({
          directory: join(options.stateDir, "tls"),
          agentCaPem: ca.certPem,
          extraCaPems: [],
        })
      : null;
    const bundles = files ? { caBundlePath: files.bundlePath, extraCaPath: files.extraPath } : null;
    return new EgressManager(options, ca, bundles);
  }

  /** Starts (or restarts) the server's proxy; returns the variables for its environment. */
  async environmentFor(
    name: string,
    config: TServerConfig,
    correlationId: () => string | null,
  ): Promise<Record<string, string>> {
    if (!isStdio(config)) return {};
    await this.release(name);
    const noInspect = new Set(this.options.noInspect);
    if (config.tlsInspection === false) noInspect.add("*");
    const proxy = await startEgressProxy({
      server: name,
      flows: this.options.flows,
      dialer: this.options.dialer ?? systemDialer,
      resolveOverrides: this.options.resolveOverrides,
      ca: this.ca,
      noInspect,
      upstreamCAs: this.options.upstreamCAs,
      ownPorts: this.options.ownPorts,
      builtinAllow: this.options.registryAllowance
        ? registryAllowance(config, this.options.env)
        : new Map(),
      correlationId,
      record: this.options.record,
      log: this.options.log,
    });
    this.proxies.set(name, proxy);
    this.options.ownPorts.add(proxy.port);
    // The empty NO_PROXY values it returns matter: they override an inherited NO_PROXY=*.
    return childProxyEnvironment({
      proxyUrl: proxy.url,
      caBundlePath: this.bundles?.caBundlePath ?? null,
      extraCaPath: this.bundles?.extraCaPath ?? null,
      preloadPath: PRELOAD_PATH,
      // Only the server's own NODE_OPTIONS: the agent's (e.g. --inspect) are not for children.
      existingNodeOptions: config.env.NODE_OPTIONS,
    });
  }

  /** The agent's own connection to a remote MCP server obeys the flows too. */
  checkRemote(name: string, url: string): void {
    const parsed = parseTarget({ kind: "absolute", url });
    if (!parsed.ok) throw new Error(`remote server URL refused: ${parsed.error.message}`);
    const decision = this.options.flows.decide({
      target: parsed.target,
      method: "POST",
      server: name,
    });
    // A remote server the operator configured on a loopback or private address is their explicit
    // choice (like --resolve): the internal-address refusal, which guards what servers resolve,
    // does not apply; deny rules still do (they are decided before it).
    if (decision.decision === "blocked" && decision.rule !== INTERNAL_ADDRESS_RULE) {
      throw new Error(
        `the flows block ${parsed.target.host} (${decision.rule}): ${decision.reason}`,
      );
    }
  }

  proxyPort(name: string): number | null {
    return this.proxies.get(name)?.port ?? null;
  }

  async release(name: string): Promise<void> {
    const proxy = this.proxies.get(name);
    if (!proxy) return;
    this.proxies.delete(name);
    this.options.ownPorts.delete(proxy.port);
    await proxy.close();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.proxies.keys()].map((name) => this.release(name)));
  }
}
