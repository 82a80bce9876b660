import { findProvider, getCurrentFlows, publishFlowsVersion, setProviderStatus } from "@lunar/db";
import {
  AppError,
  compileFlows,
  loadFlowsDocument,
  type TProviderActionInput,
  type TProviderActionResult,
} from "@lunar/shared";
import { db } from "@/lib/db";
import { editFlowsYaml } from "@/modules/flows/lib/edit-flows-yaml";
import { toApiIssue } from "@/modules/flows/lib/flows-issues";
import { hostDecision } from "./host-decision";
import {
  APPROVED_FLOW,
  addHostRule,
  BLOCKED_FLOW,
  hostGlob,
  type RuleEdit,
  removeHostRule,
} from "./host-rules";

const MAX_ATTEMPTS = 5;

/**
 * Approve: the host goes on the org's allowlist (flow "Approved", allow `host/*`), and off the
 * "Blocked" list if it was there. Block: the host gets a deny rule (flow "Blocked"); a deny beats
 * any allow. Either way a new flows version is published (agents get it within a second) and the
 * provider's status is set in the same transaction. Approving while the org has no org-wide
 * allowlist would create one, making every other host default-deny: that needs
 * `createAllowlist: true`, else 409.
 */
export async function decideProvider(
  action: "approve" | "block",
  session: { orgId: string; userId: string },
  input: TProviderActionInput,
): Promise<TProviderActionResult> {
  const provider = await findProvider(db(), session.orgId, input.host);
  if (!provider) throw new AppError("not_found", "No provider with this host in your organization");
  const glob = hostGlob(provider.host);
  if (!glob) {
    throw new AppError(
      "validation_failed",
      "This host is not a valid host name or IP address, so no flows rule can name it",
      { fieldErrors: [{ path: "host", message: "Not a host name or IP address a rule can name" }] },
    );
  }
  const status = action === "approve" ? "approved" : "blocked";
  const flow = action === "approve" ? APPROVED_FLOW : BLOCKED_FLOW;

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await getCurrentFlows(db(), session.orgId);
    const load = loadFlowsDocument(current.document ?? null);
    if (!load.ok) {
      throw new AppError(
        "conflict",
        `The stored flows (version ${current.version}) do not load; fix them in the Flows editor first: ${load.errors[0]?.message ?? ""}`,
      );
    }
    const hadAllowlist = compileFlows(load.document).org.allow !== null;
    if (action === "approve" && !hadAllowlist && input.createAllowlist !== true) {
      throw new AppError(
        "conflict",
        `Your organization has no allowlist yet: approving ${provider.host} creates one, and every host not on it will then be blocked for all agents (default-deny). Send createAllowlist: true to confirm.`,
      );
    }
    const edit =
      action === "approve"
        ? chain(removeHostRule(current.document, BLOCKED_FLOW, glob), (document) =>
            addHostRule(document, APPROVED_FLOW, glob),
          )
        : addHostRule(current.document, BLOCKED_FLOW, glob);
    if (!edit.ok) throw new AppError("conflict", edit.message);

    const next = loadFlowsDocument(edit.document);
    if (!next.ok) {
      const first = next.errors[0];
      throw new AppError(
        "validation_failed",
        `The flows with this rule do not load: ${first?.path ? `${first.path}: ` : ""}${first?.message ?? ""}`,
        { fieldErrors: next.errors.map(toApiIssue) },
      );
    }
    const outcome = hostDecision(compileFlows(next.document), provider.host);
    if (action === "approve" && outcome.decision === "blocked") {
      throw new AppError(
        "conflict",
        `${provider.host} would still be blocked by ${outcome.rule}; change that rule in the Flows editor`,
      );
    }

    const result = {
      host: provider.host,
      status,
      flow,
      rule: glob,
      createdAllowlist: action === "approve" && !hadAllowlist,
    } as const;
    if (!edit.changed) {
      await setProviderStatus(db(), { orgId: session.orgId, host: provider.host, status });
      return { ...result, version: current.version };
    }
    const published = await publishFlowsVersion(db(), {
      orgId: session.orgId,
      document: edit.document,
      // The author's YAML with just this flow rewritten: their comments survive the button.
      source: editFlowsYaml(current.source, edit.document),
      createdById: session.userId,
      expectedVersion: current.version,
      providerStatus: { host: provider.host, status },
    });
    if (published.ok) return { ...result, version: published.version };
  }
  throw new AppError("conflict", "Flows are being changed by someone else right now; try again");
}

function chain(first: RuleEdit, then: (document: unknown) => RuleEdit): RuleEdit {
  if (!first.ok) return first;
  const second = then(first.document);
  return second.ok ? { ...second, changed: first.changed || second.changed } : second;
}
