import pino from "pino";
import { loadEnv } from "./env";
import { startGateway } from "./server";

const env = loadEnv();
const log = pino({ name: "gateway", level: env.LOG_LEVEL });
const gateway = await startGateway(env, log);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    log.info({ signal }, "draining: committing and acking queued events before exit");
    await gateway.drainAndClose();
    log.info("drained");
    process.exit(0);
  });
}
