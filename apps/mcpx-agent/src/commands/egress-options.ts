import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import type pino from "pino";
import type { ResolveOverride } from "../egress/egress-context";
import { FlowsState } from "../egress/flows-state";
import { loadFlowsFile } from "../egress/load-flows-file";
import { parseResolve } from "../egress/parse-resolve";

export interface EgressFlags {
  flows?: string;
  failClosed?: boolean;
  resolve: string[];
  skipInspection: string[];
  tlsInspection: boolean;
  trustCa: string[];
  registryAllowance: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** The egress options `start` and `proxy` share. */
export function addEgressOptions(command: Command): Command {
  return command
    .option("--flows <file>", "enforce the flows in this YAML file instead of the gateway's")
    .option(
      "--fail-closed",
      "block everything until flows are loaded (default: visibility mode until then)",
    )
    .option(
      "--resolve <host=addr:port>",
      "send HOST[:PORT]'s traffic to ADDR:PORT (repeatable; demos and tests)",
      collect,
      [],
    )
    .option(
      "--skip-inspection <host>",
      "do not inspect TLS to this host; decide it at host level (repeatable, * for all)",
      collect,
      [],
    )
    .option("--no-tls-inspection", "never inspect TLS (HTTPS decided at host level only)")
    .option(
      "--trust-ca <file>",
      "also trust this CA (PEM) for upstream servers, e.g. local stand-ins (repeatable)",
      collect,
      [],
    )
    .option(
      "--no-registry-allowance",
      "do not let servers started by npx/uvx reach their package registry",
    );
}

export async function flowsStateFrom(
  flags: EgressFlags,
  options: { stateDir: string | null; gatewayConfigured: boolean; log: pino.Logger },
): Promise<FlowsState> {
  const flows = new FlowsState({
    failClosed: flags.failClosed ?? false,
    cachePath: options.stateDir && !flags.flows ? join(options.stateDir, "flows-cache.json") : null,
    log: options.log,
  });
  if (flags.flows) flows.apply(1, await loadFlowsFile(flags.flows), "file");
  else if (options.gatewayConfigured) await flows.loadCache();
  return flows;
}

export function egressSettings(flags: EgressFlags): {
  resolveOverrides: Map<string, ResolveOverride>;
  noInspect: Set<string>;
  upstreamCAs: string[];
} {
  return {
    resolveOverrides: parseResolve(flags.resolve),
    noInspect: new Set(flags.skipInspection.map((host) => host.toLowerCase())),
    upstreamCAs: flags.trustCa.map((file) => readFileSync(file, "utf8")),
  };
}
