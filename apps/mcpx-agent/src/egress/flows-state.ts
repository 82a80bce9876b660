import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import {
  type CompiledFlows,
  compileFlows,
  DEFAULT_BLOCK_RESPONSE,
  evaluateRequest,
  evaluateResolved,
  type FlowDecision,
  type FlowRequest,
  loadFlowsDocument,
  type ResolvedAddress,
} from "@lunar/shared";
import type pino from "pino";

export type FlowsSource = "gateway" | "file" | "cache" | "none";
export const NO_FLOWS_RULE = "builtin:no-flows";

interface Loaded {
  compiled: CompiledFlows;
  version: number;
  source: FlowsSource;
}

/**
 * The flows this agent enforces, and where they came from. Before any flows are known the agent
 * is in visibility mode (everything allowed and recorded, internal addresses still refused),
 * unless started fail-closed, in which case everything is blocked until flows arrive. Flows from
 * the gateway are cached on disk, so a restart while the gateway is unreachable enforces the last
 * known version rather than none.
 */
export class FlowsState {
  private loaded: Loaded | null = null;
  private readonly visibility = compileFlows({ flows: [] });
  private readonly listeners = new Set<(version: number) => void>();

  constructor(
    private readonly options: { failClosed: boolean; cachePath: string | null; log: pino.Logger },
  ) {}

  get version(): number | null {
    return this.loaded?.version ?? null;
  }

  get source(): FlowsSource {
    return this.loaded?.source ?? "none";
  }

  onChange(listener: (version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies a flows document (null: the org has none). An invalid one is refused and logged. */
  apply(version: number, document: unknown, source: FlowsSource): boolean {
    const load = loadFlowsDocument(document ?? null);
    if (!load.ok) {
      this.options.log.error(
        { version, source, errors: load.errors },
        "flows refused: keeping the previous ones",
      );
      return false;
    }
    this.loaded = { compiled: compileFlows(load.document), version, source };
    this.options.log.info({ version, source, flows: load.document.flows.length }, "flows in force");
    if (source === "gateway") void this.writeCache(version, document);
    for (const listener of this.listeners) listener(version);
    return true;
  }

  /** The last flows received from the gateway, if this agent has ever received any. */
  async loadCache(): Promise<boolean> {
    if (!this.options.cachePath) return false;
    try {
      const cached = JSON.parse(await readFile(this.options.cachePath, "utf8")) as {
        version: number;
        document: unknown;
      };
      return this.apply(cached.version, cached.document, "cache");
    } catch {
      return false;
    }
  }

  decide(request: FlowRequest): FlowDecision {
    if (!this.loaded && this.options.failClosed) return noFlowsDecision(request);
    return evaluateRequest(this.loaded?.compiled ?? this.visibility, request);
  }

  decideResolved(
    request: FlowRequest,
    decision: FlowDecision,
    resolved: ResolvedAddress,
  ): FlowDecision {
    return evaluateResolved(this.loaded?.compiled ?? this.visibility, request, decision, resolved);
  }

  private async writeCache(version: number, document: unknown): Promise<void> {
    const path = this.options.cachePath;
    if (!path) return;
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFile(`${path}.tmp`, JSON.stringify({ version, document }), { mode: 0o600 });
      await rename(`${path}.tmp`, path);
    } catch (error) {
      this.options.log.warn({ err: error }, "could not cache flows on disk");
    }
  }
}

function noFlowsDecision(request: FlowRequest): FlowDecision {
  return {
    decision: "blocked",
    rule: NO_FLOWS_RULE,
    reason: "fail-closed: no flows have been loaded yet",
    response: DEFAULT_BLOCK_RESPONSE,
    level: request.target.form === "connect" ? "host" : "request",
    notConsidered: [],
    partiallyChecked: [],
    hostNamedExactly: false,
  };
}
