/** NOTIFY channel of committed event batches: payload `{orgId, batchId, count, from, to}`. */
export const EVENTS_CHANNEL = "lunar_events";

export interface TBatchNotice {
  orgId: string;
  batchId: string;
  count: number;
  from: number;
  to: number;
}
