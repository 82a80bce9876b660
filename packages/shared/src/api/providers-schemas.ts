import { z } from "zod";
import { ZStorableText } from "../storable/storable-text";

export const ZProviderStatus = z.enum(["unknown", "approved", "blocked"]);
export type TProviderStatus = z.infer<typeof ZProviderStatus>;

/** The traffic window of the providers page; longer than 24 h reads the hourly rollups. */
export const ZTrafficWindow = z.enum(["24h", "7d", "30d"]);
export type TTrafficWindow = z.infer<typeof ZTrafficWindow>;
export const TRAFFIC_WINDOW_MS: Record<TTrafficWindow, number> = {
  "24h": 24 * 3_600_000,
  "7d": 7 * 24 * 3_600_000,
  "30d": 30 * 24 * 3_600_000,
};

/** Query of GET /api/providers. */
export const ZProvidersQuery = z
  .object({
    window: ZTrafficWindow.default("24h"),
  })
  .strict();
export type TProvidersQuery = z.infer<typeof ZProvidersQuery>;

export const ZProviderSummary = z.object({
  host: z.string(),
  /** Registrable domain: the provider the host belongs to. */
  domain: z.string(),
  status: ZProviderStatus,
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  /** Outbound calls to the host in the page's window (default the last 24 hours). */
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
  /** The window calls, errors, blocked and latency cover. */
  window: ZTrafficWindow,
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
    host: ZStorableText.min(1, "Name a host").max(253, "Host is too long"),
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
