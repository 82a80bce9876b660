import { loadFlowsDocument, parseFlowsYaml, type TFlowsIssue } from "@lunar/shared";
import { parse } from "yaml";
import { toApiIssue } from "./flows-issues";

export type FlowsYamlRead =
  | { ok: true; document: unknown; warnings: TFlowsIssue[] }
  | { ok: false; errors: TFlowsIssue[] };

/**
 * Reads flows YAML from the editor into the plain document that is stored and sent to agents
 * (Lunar's shape, not the engine's typed form). An empty document (or only comments) is null:
 * no flows, visibility mode. What is returned has been through JSON, as the database and the
 * gateway will put it, and validated again in that form: what is stored is what was checked.
 */
export function readFlowsYaml(text: string): FlowsYamlRead {
  const load = parseFlowsYaml(text);
  if (!load.ok) return { ok: false, errors: load.errors.map(toApiIssue) };
  const document: unknown = JSON.parse(JSON.stringify(parse(text) ?? null));
  const stored = loadFlowsDocument(document);
  if (!stored.ok) {
    return { ok: false, errors: stored.errors.map(toApiIssue) };
  }
  return { ok: true, document, warnings: load.warnings.map(toApiIssue) };
}
