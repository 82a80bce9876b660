import pino from "pino";
import { loadEnv } from "./env";
import { installProcessFaultHandlers } from "./process-faults";
import { startGateway } from "./server";

const env = loadEnv();
const log = pino({ name: "gateway", level: env.LOG_LEVEL });
const gateway = await startGateway(env, log);
installProcessFaultHandlers(log, gateway.metrics);

// `on`, not `once`: a listener must stay registered while the drain runs, or a runtime that
// exits on unhandled signals (tsx's preflight does) ends the process mid-drain. A second signal
// forces the exit.
let draining = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (draining) {
      log.warn({ signal }, "second signal: exiting without finishing the drain");
      process.exit(1);
    }
    draining = true;
    log.info({ signal }, "draining: committing and acking queued events before exit");
    // Bounded: with Postgres gone the queue would retry forever and the process outlive its
    // supervisor (npm start's Ctrl-C stopped Postgres and left the gateway holding its port).
    const deadline = setTimeout(() => {
      log.warn(
        { drainTimeoutMs: env.DRAIN_TIMEOUT_MS },
        "drain did not finish in time: exiting; agents resend what was not acked",
      );
      process.exit(1);
    }, env.DRAIN_TIMEOUT_MS);
    await gateway.drainAndClose();
    clearTimeout(deadline);
    log.info("drained");
    process.exit(0);
  });
}
