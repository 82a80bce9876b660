import {
  type CompiledFlows,
  compileFlows,
  loadFlowsDocument,
  type TFlowsIssue,
} from "@lunar/shared";
import { stringify } from "yaml";
import { toApiIssue } from "./flows-issues";

export interface DescribedFlows {
  compiled: CompiledFlows;
  mode: "visibility" | "allowlist";
  serverAllowlists: string[];
  /** Problems loading the stored document with this engine (agents would refuse it too). */
  errors: TFlowsIssue[];
}

/** What a stored document means: compiled flows, the org's mode and the servers with allowlists. */
export function describeFlows(document: unknown): DescribedFlows {
  const load = loadFlowsDocument(document ?? null);
  const compiled = compileFlows(load.ok ? load.document : { flows: [] });
  return {
    compiled,
    mode: compiled.org.allow !== null ? "allowlist" : "visibility",
    serverAllowlists: [...compiled.servers.entries()]
      .filter(([, scope]) => scope.allow !== null)
      .map(([server]) => server),
    errors: load.ok ? [] : load.errors.map(toApiIssue),
  };
}

/** The stored plain document as YAML for the editor; "" when it has no flows. */
export function flowsDocumentToYaml(document: unknown): string {
  if (document === null || document === undefined) return "";
  if (typeof document === "object" && Object.keys(document).length === 0) return "";
  return stringify(document, { lineWidth: 0 });
}
