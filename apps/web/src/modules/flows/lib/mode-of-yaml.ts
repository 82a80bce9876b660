import { compileFlows, parseFlowsYaml } from "@lunar/shared";

/**
 * The org-wide mode a YAML text would put the org in, read in the browser before saving so a
 * switch to (or away from) default-deny can be confirmed first. Null when the text does not load:
 * the server's answer lists the errors.
 */
export function modeOfYaml(text: string): "visibility" | "allowlist" | null {
  const load = parseFlowsYaml(text);
  if (!load.ok) return null;
  return compileFlows(load.document).org.allow !== null ? "allowlist" : "visibility";
}
