import type pino from "pino";
import type { GatewayMetrics } from "./metrics";

/**
 * The last fault boundary: an error that escaped every connection's and request's own boundary
 * is logged and counted (lunar_gateway_uncaught_errors_total) instead of ending the process and
 * dropping every agent of every org. Each handler has its own boundary, so a count here is a
 * bug to fix, not a way of working.
 */
export function installProcessFaultHandlers(log: pino.Logger, metrics: GatewayMetrics): void {
  process.on("uncaughtException", (error) => {
    metrics.uncaughtErrors.inc({ kind: "exception" });
    log.error({ err: error }, "uncaught exception (the gateway keeps serving)");
  });
  process.on("unhandledRejection", (reason) => {
    metrics.uncaughtErrors.inc({ kind: "rejection" });
    log.error({ err: reason }, "unhandled rejection (the gateway keeps serving)");
  });
}
