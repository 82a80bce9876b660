import { MAX_FLOWS_YAML_BYTES, ZSaveFlowsInput } from "@lunar/shared";
import { json, sessionRoute } from "@/lib/api/api-route";
import { loadFlowsState } from "@/modules/flows/lib/load-flows-state";
import { saveFlows } from "@/modules/flows/lib/save-flows";

/** The flows in force (as YAML), their mode and the version history (docs/API.md). */
export const GET = sessionRoute({}, async ({ session }) => {
  return json(await loadFlowsState(session.organization.id));
});

/** Saves a new version; agents get it through their gateway within a second (docs/API.md). */
export const PUT = sessionRoute(
  // JSON escaping (\n, \") can make the body up to twice the YAML; the YAML itself is checked
  // against its own 256 KiB limit in saveFlows.
  { body: ZSaveFlowsInput, maxBodyBytes: 2 * MAX_FLOWS_YAML_BYTES },
  async ({ session, body }) => {
    const saved = await saveFlows(
      { orgId: session.organization.id, userId: session.user.id },
      body,
    );
    return json(saved);
  },
);
