import { z } from "zod";

export const ZProviderStatus = z.enum(["unknown", "approved", "blocked"]);
export type TProviderStatus = z.infer<typeof ZProviderStatus>;

export const ZProviderSummary = z.object({
  host: z.string(),
  /** Registrable domain: the provider the host belongs to. */
  domain: z.string(),
  status: ZProviderStatus,
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  /** Outbound calls to the host in the last 24 hours, from the 1-minute rollups. */
  calls: z.number(),
  errors: z.number(),
  blocked: z.number(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  /**
   * What the org-wide flows in force decide for an https connection to the host, at host level:
   * "partial" when allowed but some rules depend on the path or method (e.g. only /api/*).
   * "refused" when the host is not one the agent would dial (it cannot be named in a rule).
   */
  flows: z.object({
    decision: z.enum(["allowed", "blocked", "partial", "refused"]),
    rule: z.string().nullable(),
  }),
});
export type TProviderSummary = z.infer<typeof ZProviderSummary>;

export const ZProvidersPage = z.object({
  providers: z.array(ZProviderSummary),
  /** The flows version the `flows` decisions were made with. */
  flowsVersion: z.number().int(),
  /** Whether the org has an org-wide allowlist: approving without one creates it. */
  hasAllowlist: z.boolean(),
  /** More hosts exist than are listed (at most 5,000; unknown hosts first, then most recent). */
  truncated: z.boolean(),
});
export type TProvidersPage = z.infer<typeof ZProvidersPage>;

export const ZProviderActionInput = z
  .object({
    host: z.string().min(1, "Name a host").max(253, "Host is too long"),
    /** Approve only: confirms creating the org's first allowlist (default-deny for the rest). */
    createAllowlist: z.boolean().optional(),
  })
  .strict();
export type TProviderActionInput = z.infer<typeof ZProviderActionInput>;

export const ZProviderActionResult = z.object({
  host: z.string(),
  status: ZProviderStatus,
  /** The flows version now in force (unchanged when the rule was already there). */
  version: z.number().int(),
  /** The flow the rule is in, and the url glob added (or already present). */
  flow: z.string(),
  rule: z.string(),
  createdAllowlist: z.boolean(),
});
export type TProviderActionResult = z.infer<typeof ZProviderActionResult>;
