import { getCurrentFlows, listAgents } from "@lunar/db";
import type { TAgentsPage } from "@lunar/shared";
import { db } from "@/lib/db";

export async function loadAgents(orgId: string): Promise<TAgentsPage> {
  const [agents, current] = await Promise.all([
    listAgents(db(), orgId),
    getCurrentFlows(db(), orgId),
  ]);
  return { agents, currentFlowsVersion: current.version };
}
