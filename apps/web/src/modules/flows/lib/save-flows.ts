import { getCurrentFlows, publishFlowsVersion } from "@lunar/db";
import {
  AppError,
  MAX_FLOWS_YAML_BYTES,
  type TSavedFlows,
  type TSaveFlowsInput,
} from "@lunar/shared";
import { db } from "@/lib/db";
import { loadFlowsState } from "./load-flows-state";
import { readFlowsYaml } from "./read-flows-yaml";

const MAX_ATTEMPTS = 5;

/**
 * PUT /api/flows: checks the YAML, stores it as the org's next version and NOTIFYs the gateways
 * (they push it to the org's agents). With `baseVersion`, a save on top of a version someone else
 * saved meanwhile is refused (409) rather than silently undoing their change.
 */
export async function saveFlows(
  session: { orgId: string; userId: string },
  input: TSaveFlowsInput,
): Promise<TSavedFlows> {
  if (Buffer.byteLength(input.yaml, "utf8") > MAX_FLOWS_YAML_BYTES) {
    throw new AppError(
      "payload_too_large",
      `The flows YAML must be at most ${MAX_FLOWS_YAML_BYTES} bytes (256 KiB)`,
    );
  }
  const read = readFlowsYaml(input.yaml);
  if (!read.ok) {
    const first = read.errors[0];
    const where = first?.path ? `line ${first.path.replace(":", ", column ")}: ` : "";
    throw new AppError(
      "validation_failed",
      `${read.errors.length === 1 ? "1 error" : `${read.errors.length} errors`} in the flows; ${where}${first?.message ?? ""}`,
      { fieldErrors: read.errors },
    );
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const expectedVersion =
      input.baseVersion ?? (await getCurrentFlows(db(), session.orgId)).version;
    const published = await publishFlowsVersion(db(), {
      orgId: session.orgId,
      document: read.document,
      // Kept as written, so the editor shows the author's comments and layout back.
      source: input.yaml,
      createdById: session.userId,
      expectedVersion,
    });
    if (published.ok) {
      return { ...(await loadFlowsState(session.orgId)), warnings: read.warnings };
    }
    if (input.baseVersion !== undefined) {
      throw new AppError(
        "conflict",
        `Version ${published.currentVersion} was saved after version ${input.baseVersion}, which you edited. Reload to see it, then apply your change again.`,
      );
    }
  }
  throw new AppError("conflict", "Flows are being changed by someone else right now; try again");
}
