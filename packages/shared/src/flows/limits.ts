/** Bounds that keep a hostile or mistaken document from costing memory or time. */
export const FLOWS_LIMITS = {
  maxDocumentBytes: 1_048_576,
  maxFlows: 1_000,
  maxUrlPatterns: 10_000,
  maxFlowNameLength: 64,
  maxServerNameLength: 128,
  maxBodyLength: 65_536,
  maxIssues: 100,
} as const;
