// Helpers for the flows tests (not exported from the package).
import { parseTarget } from "../url/parse-target";
import type { ParsedTarget, TargetInput } from "../url/target-types";
import { compileFlows } from "./compile-flows";
import type { CompiledFlows } from "./compiled-types";
import { evaluateRequest } from "./evaluate-request";
import type { FlowDecision, HeaderBag } from "./flow-decision";
import { parseFlowsYaml } from "./parse-flows-yaml";

/** Compiles YAML flows, failing loudly if the document has errors. */
export function compileYaml(text: string): CompiledFlows {
  const load = parseFlowsYaml(text);
  if (!load.ok) throw new Error(`flows do not load: ${JSON.stringify(load.errors)}`);
  return compileFlows(load.document);
}

/** A target from a URL string (absolute form) or any target input, failing if it is refused. */
export function targetOf(input: TargetInput | string): ParsedTarget {
  const parsed = parseTarget(typeof input === "string" ? { kind: "absolute", url: input } : input);
  if (!parsed.ok) throw new Error(`target refused: ${parsed.error.code} ${parsed.error.message}`);
  return parsed.target;
}

export interface DecideOptions {
  readonly method?: string;
  readonly headers?: HeaderBag;
  readonly server?: string | null;
}

/** Evaluates a request, GET and no server unless told otherwise. */
export function decide(
  flows: CompiledFlows,
  input: TargetInput | string,
  options: DecideOptions = {},
): FlowDecision {
  const request = {
    target: targetOf(input),
    method: "method" in options ? options.method : "GET",
    server: options.server ?? null,
    ...(options.headers ? { headers: options.headers } : {}),
  };
  return evaluateRequest(flows, request);
}
