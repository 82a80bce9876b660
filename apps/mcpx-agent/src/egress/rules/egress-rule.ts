import type { BlockResponse, FlowRequest, ParsedTarget } from "@lunar/shared";
import type { EgressContext } from "../egress-context";

/** A request as the engine sees it: what the flows see, plus how it reached the proxy. */
export interface EgressRequest extends FlowRequest {
  /** "CONNECT" for a tunnel decided at host level (its target's form is "connect"). */
  readonly method: string;
  /** The CONNECT target, for a request read inside an inspected tunnel. */
  readonly tunnel: ParsedTarget | null;
}

/** Why a rule refuses a request, and what the proxy answers instead (nothing is dialled). */
export interface Refusal {
  readonly rule: string;
  readonly reason: string;
  readonly response: BlockResponse;
}

/** An address a request may be dialled to, and where it came from. */
export interface Candidate {
  readonly address: string;
  readonly port: number;
  /** "operator": a `--resolve` mapping; "literal": the target is an IP; "dns": resolved. */
  readonly source: "operator" | "literal" | "dns";
}

/**
 * One rule type of the egress engine (`authorize.ts`): the engine asks every rule, in order,
 * before the flows decide (`request`) and for every address the request may be dialled to
 * (`address`); each answers with a refusal or null. Transports never see rules, only verdicts.
 */
export interface EgressRule {
  readonly name: string;
  request?(request: EgressRequest, context: EgressContext): Refusal | null;
  address?(request: EgressRequest, candidate: Candidate, context: EgressContext): Refusal | null;
}
