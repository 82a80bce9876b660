import type { TAgentEvent } from "@lunar/shared";
import type pino from "pino";
import type { CertificateAuthority } from "./certificate-authority";
import type { Dialer } from "./dialer";
import type { FlowsState } from "./flows-state";
import type { EgressRule } from "./rules/egress-rule";

/** An operator's `--resolve HOST=ADDR:PORT`: the host's traffic goes there, DNS is not asked. */
export interface ResolveOverride {
  address: string;
  port: number;
}

/** Everything one server's egress proxy needs; shared by its request and tunnel handlers. */
export interface EgressContext {
  /** The MCP server this proxy belongs to: every call through it is attributed to it. */
  server: string;
  flows: FlowsState;
  dialer: Dialer;
  resolveOverrides: ReadonlyMap<string, ResolveOverride>;
  /** null: no TLS inspection at all (HTTPS decided at host level). */
  ca: CertificateAuthority | null;
  /** Hosts (or "*") whose TLS is not inspected, for clients that pin certificates. */
  noInspect: ReadonlySet<string>;
  /** CA certificates (PEM) trusted for upstreams besides the system roots (local stand-ins). */
  upstreamCAs: readonly string[];
  /** The agent's own listening ports: never a destination, whatever the flows say. */
  ownPorts: ReadonlySet<number>;
  /**
   * Hosts this server may reach whatever the flows say, each with the built-in rule that allows
   * it (the package registry a server started through `npx -y` or `uvx` installs itself from).
   * Shown in `mcpx-agent status` and in every event it allows; `--no-registry-allowance` removes it.
   */
  builtinAllow: ReadonlyMap<string, string>;
  /** The engine's rules besides the flows (`authorize.ts`); EGRESS_RULES when absent. */
  rules?: readonly EgressRule[];
  /** The tool call in flight on this server, when exactly one is (attribution). */
  correlationId: () => string | null;
  record: (event: TAgentEvent) => void;
  log: pino.Logger;
}
