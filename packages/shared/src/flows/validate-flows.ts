import type { Flow, FlowScope, FlowsDocument } from "./flow-types";
import type { PathIssue } from "./flows-issue";
import { describeType, IssueCollector, isPlainRecord } from "./issue-collector";
import { FLOWS_LIMITS } from "./limits";
import { readFilter } from "./read-filter";
import { readGenerateResponse } from "./read-generate-response";

export type FlowsValidation =
  | { readonly ok: true; readonly document: FlowsDocument; readonly warnings: readonly PathIssue[] }
  | {
      readonly ok: false;
      readonly errors: readonly PathIssue[];
      readonly warnings: readonly PathIssue[];
    };

// No ":" or "#": they separate scope, flow and index in rule ids ("org:AllowFilter#1").
const FLOW_NAME = new RegExp(`^[A-Za-z_][A-Za-z0-9_.-]{0,${FLOWS_LIMITS.maxFlowNameLength - 1}}$`);
const FLOW_FIELDS = ["processor", "parameters"];

/**
 * Checks a flows document (parsed YAML, or the JSON the gateway sends agents) and reads it into
 * typed flows. The shape is Lunar's: a mapping of flow name → { processor, parameters }.
 * An empty document (null) has no flows: visibility mode.
 */
export function validateFlowsDocument(value: unknown): FlowsValidation {
  const issues = new IssueCollector();
  const flows: Flow[] = [];
  if (value === null || value === undefined) return { ok: true, document: { flows }, warnings: [] };
  if (!isPlainRecord(value)) {
    issues.error(
      [],
      `a flows document is a mapping of flow names to flows, not ${describeType(value)}`,
    );
    return { ok: false, errors: issues.errors, warnings: issues.warnings };
  }
  const entries = Object.entries(value);
  if (entries.length > FLOWS_LIMITS.maxFlows) {
    issues.error([], `at most ${FLOWS_LIMITS.maxFlows} flows`);
  }
  for (const [name, raw] of entries.slice(0, FLOWS_LIMITS.maxFlows)) {
    const flow = readFlow(name, raw, issues);
    if (flow) flows.push(flow);
  }
  checkAcrossFlows(flows, issues);
  return issues.errors.length > 0
    ? { ok: false, errors: issues.errors, warnings: issues.warnings }
    : { ok: true, document: { flows }, warnings: issues.warnings };
}

function readFlow(name: string, raw: unknown, issues: IssueCollector): Flow | null {
  if (!FLOW_NAME.test(name)) {
    issues.error(
      [name],
      `flow name "${name}" must be a letter or "_" then letters, digits, "_", "." or "-"`,
      true,
    );
    return null;
  }
  if (!isPlainRecord(raw)) {
    issues.error([name], `a flow is { processor, parameters }, not ${describeType(raw)}`);
    return null;
  }
  for (const field of Object.keys(raw)) {
    if (!FLOW_FIELDS.includes(field)) {
      issues.error(
        [name, field],
        `unknown field "${field}" (a flow has processor and parameters)`,
        true,
      );
    }
  }
  switch (raw.processor) {
    case "Filter":
      return readFilter(name, raw.parameters, [name], issues);
    case "GenerateResponse":
      return readGenerateResponse(name, raw.parameters, [name], issues);
    default: {
      const path = raw.processor === undefined ? [name] : [name, "processor"];
      issues.error(path, 'processor must be "Filter" or "GenerateResponse"');
      return null;
    }
  }
}

function checkAcrossFlows(flows: readonly Flow[], issues: IssueCollector): void {
  const responseByScope = new Map<string, string>();
  let urlCount = 0;
  for (const flow of flows) {
    if (flow.processor === "Filter") {
      urlCount += flow.urls.length;
      continue;
    }
    const scope = scopeKey(flow.scope);
    const earlier = responseByScope.get(scope);
    if (earlier !== undefined) {
      issues.error(
        [flow.name],
        `a second GenerateResponse for ${scope} (the first is "${earlier}")`,
      );
    } else {
      responseByScope.set(scope, flow.name);
    }
  }
  if (urlCount > FLOWS_LIMITS.maxUrlPatterns) {
    issues.error([], `at most ${FLOWS_LIMITS.maxUrlPatterns} url globs in all (found ${urlCount})`);
  }
}

function scopeKey(scope: FlowScope): string {
  return scope.kind === "org" ? "the org" : `server "${scope.server}"`;
}
