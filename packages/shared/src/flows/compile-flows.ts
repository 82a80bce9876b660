import type {
  CompiledFlows,
  CompiledHeaderCondition,
  CompiledRule,
  CompiledScope,
} from "./compiled-types";
import type { FilterFlow, FlowScope, FlowsDocument } from "./flow-types";
import { HostIndex } from "./host-index";
import { lowerCasePathPattern } from "./path-pattern";

/** A scope while it is being filled in. */
type ScopeBuilder = { -readonly [K in keyof CompiledScope]: CompiledScope[K] };

/** Turns validated flows into per-scope host indexes; the result is immutable and reusable. */
export function compileFlows(document: FlowsDocument): CompiledFlows {
  const org = newScope("org");
  const servers = new Map<string, ScopeBuilder>();
  const scopeOf = (scope: FlowScope): ScopeBuilder => {
    if (scope.kind === "org") return org;
    let builder = servers.get(scope.server);
    if (!builder) {
      builder = newScope(`server:${scope.server}`);
      servers.set(scope.server, builder);
    }
    return builder;
  };

  let order = 0;
  for (const flow of document.flows) {
    const scope = scopeOf(flow.scope);
    if (flow.processor === "GenerateResponse") {
      scope.response = flow.response;
      continue;
    }
    if (flow.action === "allow") {
      scope.allow ??= new HostIndex();
      scope.allowlistName ??= flow.name;
    }
    const index = flow.action === "allow" ? scope.allow : scope.deny;
    flow.urls.forEach((pattern, position) => {
      index?.add(pattern.host, compileRule(flow, scope.label, position, order));
      order += 1;
    });
  }
  return { org, servers, ruleCount: order };
}

function compileRule(
  flow: FilterFlow,
  label: string,
  position: number,
  order: number,
): CompiledRule {
  const pattern = flow.urls[position];
  if (!pattern) throw new Error(`no url #${position} in ${flow.name}`);
  return {
    id: `${label}:${flow.name}#${position}`,
    flow: flow.name,
    source: pattern.source,
    order,
    action: flow.action,
    scheme: pattern.scheme,
    port: pattern.port,
    namesHostExactly: pattern.host.kind === "exact",
    path: flow.action === "deny" ? lowerCasePathPattern(pattern.path) : pattern.path,
    methods: flow.methods ? new Set(flow.methods) : null,
    headers: flow.headers.map(compileHeaderCondition),
  };
}

function compileHeaderCondition(condition: {
  name: string;
  value: string;
}): CompiledHeaderCondition {
  const source = condition.value
    .split("*")
    .map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, "\\$&"))
    .join(".*");
  return { name: condition.name, value: new RegExp(`^${source}$`, "s") };
}

function newScope(label: string): ScopeBuilder {
  return { label, deny: new HostIndex(), allow: null, allowlistName: null, response: null };
}
