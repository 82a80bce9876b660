import { hasControlCharacters } from "../url/characters";
import type { FlowScope } from "./flow-types";
import type { IssueCollector } from "./issue-collector";
import { FLOWS_LIMITS } from "./limits";
import type { ParameterValue } from "./read-parameters";

/** `{ key: server, value: <MCP server name> }` scopes a flow to that server; org-wide otherwise. */
export function readScope(
  parameter: ParameterValue | undefined,
  issues: IssueCollector,
): FlowScope {
  if (parameter === undefined) return { kind: "org" };
  const { value, path } = parameter;
  if (
    typeof value !== "string" ||
    value.length === 0 ||
    value.length > FLOWS_LIMITS.maxServerNameLength ||
    hasControlCharacters(value, true)
  ) {
    issues.error(
      path,
      `server must be an MCP server's name (1-${FLOWS_LIMITS.maxServerNameLength} characters)`,
    );
    return { kind: "org" };
  }
  return { kind: "server", server: value };
}
