import { getCurrentFlows, listFlowVersions } from "@lunar/db";
import type { TFlowsState } from "@lunar/shared";
import { db } from "@/lib/db";
import { describeFlows, flowsDocumentToYaml } from "./describe-flows";

/** The flows page's data: the version in force as YAML, its mode, and who saved what when. */
export async function loadFlowsState(orgId: string): Promise<TFlowsState> {
  const [current, history] = await Promise.all([
    getCurrentFlows(db(), orgId),
    listFlowVersions(db(), orgId),
  ]);
  const described = describeFlows(current.document);
  return {
    version: current.version,
    yaml: current.source ?? flowsDocumentToYaml(current.document),
    mode: described.mode,
    serverAllowlists: described.serverAllowlists,
    ruleCount: described.compiled.ruleCount,
    storedErrors: described.errors,
    history: history.map((row) => ({
      version: row.version,
      author: row.author,
      createdAt: row.createdAt.toISOString(),
    })),
  };
}
