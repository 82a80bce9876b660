import { z } from "zod";
import { MAX_STORABLE_INT4, ZStorableText } from "../storable/storable-text";

/** The most YAML PUT /api/flows accepts, in UTF-8 bytes (the body may be larger: JSON escapes). */
export const MAX_FLOWS_YAML_BYTES = 256 * 1024;

export const ZSaveFlowsInput = z
  .object({
    yaml: ZStorableText,
    /** The version the text was edited from: a save on top of a newer version is a 409. */
    baseVersion: z.number().int().nonnegative().max(MAX_STORABLE_INT4).optional(),
  })
  .strict();
export type TSaveFlowsInput = z.infer<typeof ZSaveFlowsInput>;

/** An error or warning in flows YAML: `path` is "line:column" (1-based), "" when unknown. */
export const ZFlowsIssue = z.object({ path: z.string(), message: z.string() });
export type TFlowsIssue = z.infer<typeof ZFlowsIssue>;

export const ZFlowVersionSummary = z.object({
  version: z.number().int(),
  /** The author's email; null when the version was not saved by a user (or the user is gone). */
  author: z.string().nullable(),
  createdAt: z.string(),
});
export type TFlowVersionSummary = z.infer<typeof ZFlowVersionSummary>;

export const ZFlowsState = z.object({
  /** The version in force; 0 when the org has never saved flows (visibility mode). */
  version: z.number().int().nonnegative(),
  /** The stored document as YAML; "" when it has no flows. */
  yaml: z.string(),
  /** "allowlist" when the org has an org-wide allow Filter (default-deny for the whole org). */
  mode: z.enum(["visibility", "allowlist"]),
  /** MCP servers with their own allowlist (default-deny for their calls). */
  serverAllowlists: z.array(z.string()),
  /** Number of url globs in the document. */
  ruleCount: z.number().int().nonnegative(),
  /** Problems loading the stored document with this engine; agents would refuse it too. */
  storedErrors: z.array(ZFlowsIssue),
  history: z.array(ZFlowVersionSummary),
});
export type TFlowsState = z.infer<typeof ZFlowsState>;

export const ZSavedFlows = ZFlowsState.extend({ warnings: z.array(ZFlowsIssue) });
export type TSavedFlows = z.infer<typeof ZSavedFlows>;

export const ZTestUrlInput = z
  .object({
    url: ZStorableText.min(1, "Enter a URL").max(8_192, "URL is too long"),
    method: z
      .string()
      .regex(/^[A-Za-z]{1,16}$/, "A method is 1–16 letters")
      .optional(),
    server: ZStorableText.min(1).max(128).optional(),
  })
  .strict();
export type TTestUrlInput = z.infer<typeof ZTestUrlInput>;

export const ZTestUrlResult = z.object({
  /** The flows version the URL was decided with. */
  version: z.number().int().nonnegative(),
  /** "refused": the agent refuses the URL itself (never dialled), whatever the flows say. */
  decision: z.enum(["allowed", "blocked", "refused"]),
  rule: z.string().nullable(),
  reason: z.string(),
  /** What a blocked request gets back. */
  response: z.object({ status: z.number(), body: z.string(), contentType: z.string() }).nullable(),
  /** The normalised target the decision is about (null when refused). */
  target: z
    .object({ scheme: z.string(), host: z.string(), port: z.number(), path: z.string() })
    .nullable(),
  /** Conditions the decision could not look at: "headers" always, "method" when none given. */
  notConsidered: z.array(z.string()),
  /** Rules whose outcome depended on what was not considered. */
  partiallyChecked: z.array(z.string()),
});
export type TTestUrlResult = z.infer<typeof ZTestUrlResult>;
