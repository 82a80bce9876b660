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
    await gateway.drainAndClose();
    log.info("drained");
    process.exit(0);
  });
}
