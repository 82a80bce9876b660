import { parseTarget } from "@lunar/shared";

/** The flows the Approve and Block buttons write to (plain org-wide Filters of url globs). */
export const APPROVED_FLOW = "Approved";
export const BLOCKED_FLOW = "Blocked";

type PlainDocument = Record<string, unknown>;

/**
 * The url glob naming a host on http (80) and https (443), any path: `host/*`, `[v6]/*`. Null
 * when the stored host is not exactly a host the agent would dial (an agent may report any
 * string), so it can never turn into a glob with a path, a port or a wildcard of its own.
 */
export function hostGlob(host: string): string | null {
  const authority = host.includes(":") ? `[${host}]:443` : `${host}:443`;
  const parsed = parseTarget({ kind: "connect", authority });
  if (!parsed.ok || parsed.target.host !== host) return null;
  return parsed.target.hostKind === "ipv6" ? `[${host}]/*` : `${host}/*`;
}

export type RuleEdit =
  | { ok: true; document: PlainDocument; changed: boolean }
  | { ok: false; message: string };

/**
 * Adds `glob` to the org-wide Filter `flow` (created at the end of the document if missing). The
 * flow must be what the buttons write, urls plus the action, so appending cannot change the
 * meaning of someone's hand-written flow with methods, headers or a server scope.
 */
export function addHostRule(
  document: unknown,
  flow: typeof APPROVED_FLOW | typeof BLOCKED_FLOW,
  glob: string,
): RuleEdit {
  const next: PlainDocument = isRecord(document) ? { ...document } : {};
  const action = flow === BLOCKED_FLOW ? "deny" : "allow";
  const existing = next[flow];
  if (existing === undefined) {
    const parameters: unknown[] = [{ key: "urls", value: [glob] }];
    if (action === "deny") parameters.unshift({ key: "action", value: "deny" });
    next[flow] = { processor: "Filter", parameters };
    return { ok: true, document: next, changed: true };
  }
  const urls = plainUrls(existing, action);
  if (!urls) {
    return {
      ok: false,
      message: `The flow "${flow}" is not a plain org-wide ${action} list of urls (it has other conditions); add the rule in the Flows editor instead`,
    };
  }
  if (urls.includes(glob)) return { ok: true, document: next, changed: false };
  next[flow] = withUrls(existing, [...urls, glob]);
  return { ok: true, document: next, changed: true };
}

/** Removes `glob` from the Filter `flow` if it is there (the flow goes when its list empties). */
export function removeHostRule(
  document: unknown,
  flow: typeof APPROVED_FLOW | typeof BLOCKED_FLOW,
  glob: string,
): RuleEdit {
  if (!isRecord(document)) return { ok: true, document: {}, changed: false };
  const existing = document[flow];
  const urls =
    existing === undefined ? null : plainUrls(existing, flow === BLOCKED_FLOW ? "deny" : "allow");
  if (!urls?.includes(glob)) return { ok: true, document: { ...document }, changed: false };
  const next: PlainDocument = { ...document };
  const rest = urls.filter((url) => url !== glob);
  if (rest.length === 0) delete next[flow];
  else next[flow] = withUrls(existing, rest);
  return { ok: true, document: next, changed: true };
}

/** The urls of a Filter that has only `urls` and (optionally) this `action`; else null. */
function plainUrls(flow: unknown, action: "allow" | "deny"): string[] | null {
  if (!isRecord(flow) || flow.processor !== "Filter" || !Array.isArray(flow.parameters))
    return null;
  if (Object.keys(flow).some((key) => key !== "processor" && key !== "parameters")) return null;
  let urls: string[] | null = null;
  let actionSeen: unknown = "allow";
  for (const parameter of flow.parameters) {
    if (!isRecord(parameter)) return null;
    if (parameter.key === "urls" && Array.isArray(parameter.value)) {
      if (!parameter.value.every((url) => typeof url === "string")) return null;
      urls = parameter.value as string[];
    } else if (parameter.key === "action") {
      actionSeen = parameter.value;
    } else {
      return null;
    }
  }
  return actionSeen === action ? urls : null;
}

function withUrls(flow: unknown, urls: string[]): unknown {
  const record = flow as { processor: string; parameters: { key: string; value: unknown }[] };
  return {
    ...record,
    parameters: record.parameters.map((parameter) =>
      parameter.key === "urls" ? { ...parameter, value: urls } : parameter,
    ),
  };
}

function isRecord(value: unknown): value is PlainDocument {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
