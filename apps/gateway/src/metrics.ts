import client from "prom-client";

/** Prometheus metrics of one gateway process, served at /metrics. */
export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    connectedAgents: new client.Gauge({
      name: "lunar_gateway_connected_agents",
      help: "Agent connections currently open (after hello)",
      registers: [registry],
    }),
    eventsStored: new client.Counter({
      name: "lunar_gateway_events_stored_total",
      help: "Events newly stored",
      registers: [registry],
    }),
    eventsDuplicate: new client.Counter({
      name: "lunar_gateway_events_duplicate_total",
      help: "Events received again and not stored twice",
      registers: [registry],
    }),
    eventsRejected: new client.Counter({
      name: "lunar_gateway_events_rejected_total",
      help: "Events refused as invalid",
      registers: [registry],
    }),
    eventsDroppedByAgents: new client.Counter({
      name: "lunar_gateway_events_dropped_by_agents_total",
      help: "Events agents reported dropping from their full disk spools (never sent)",
      registers: [registry],
    }),
    batchCommitSeconds: new client.Histogram({
      name: "lunar_gateway_batch_commit_seconds",
      help: "Time to write and commit one ingest transaction",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    queueDepth: new client.Gauge({
      name: "lunar_gateway_ingest_queue_events",
      help: "Events waiting to be written",
      registers: [registry],
    }),
    rejectedFrames: new client.Counter({
      name: "lunar_gateway_rejected_frames_total",
      help: "Frames refused, by reason",
      labelNames: ["reason"],
      registers: [registry],
    }),
    recheckDisagreements: new client.Counter({
      name: "lunar_gateway_recheck_disagreements_total",
      help: "Reported outbound calls whose decision the org's current flows contradict",
      registers: [registry],
    }),
    queueBytes: new client.Gauge({
      name: "lunar_gateway_ingest_queue_bytes",
      help: "Frame bytes of the batches waiting to be written",
      registers: [registry],
    }),
    eventsDeadLettered: new client.Counter({
      name: "lunar_gateway_events_dead_lettered_total",
      help: "Valid events the database refused, kept in dead_letter_events and acked as rejected",
      registers: [registry],
    }),
    deadLettersLost: new client.Counter({
      name: "lunar_gateway_dead_letters_lost_total",
      help: "Refused events whose dead letter could not be written either (e.g. the org was deleted)",
      registers: [registry],
    }),
    connectionFaults: new client.Counter({
      name: "lunar_gateway_connection_faults_total",
      help: "Unexpected errors in a connection's handler (the connection closed with 1011)",
      registers: [registry],
    }),
    requestFaults: new client.Counter({
      name: "lunar_gateway_request_faults_total",
      help: "Unexpected errors in an HTTP request or upgrade handler (answered 500 or 503)",
      registers: [registry],
    }),
    uncaughtErrors: new client.Counter({
      name: "lunar_gateway_uncaught_errors_total",
      help: "Errors that escaped every handler, logged instead of ending the process",
      labelNames: ["kind"],
      registers: [registry],
    }),
    writeFailures: new client.Counter({
      name: "lunar_gateway_write_failures_total",
      help: "Ingest transactions that failed and were retried",
      registers: [registry],
    }),
  };
}
export type GatewayMetrics = ReturnType<typeof createMetrics>;
