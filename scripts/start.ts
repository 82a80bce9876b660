// `npm start`: the whole system on one machine. Embedded PostgreSQL unless DATABASE_URL is set,
// migrations, the gateway and the dashboard; Ctrl-C stops all of it, Postgres included.
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { prepareDatabase } from "@lunar/db/embedded";
import { GATEWAY_NODE_FLAGS } from "../apps/gateway/src/node-flags";
import { DEMO_EMAIL, DEMO_PASSWORD, demoApiKey } from "./lib/demo-account";
import { ROOT, run, startService, stopService, waitForHttp } from "./lib/run";

const webPort = Number(process.env.WEB_PORT ?? 3000);
const gatewayPort = Number(process.env.GATEWAY_PORT ?? 8080);
const log = (message: string) => process.stderr.write(`[start] ${message}\n`);

log("building (cached when nothing changed)…");
if (
  (await run("npx", [
    "turbo",
    "run",
    "build",
    "--filter=@lunar/web",
    "--output-logs=errors-only",
  ])) !== 0
) {
  log("build failed");
  process.exit(1);
}

const database = await prepareDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, log });
const services: ChildProcess[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    log("stopping…");
    await Promise.all(services.map((service) => stopService(service)));
    await database.embedded?.stop();
    log("stopped");
  }
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

const gatewayUrl = `http://localhost:${gatewayPort}`;
services.push(
  startService(
    "gateway",
    process.execPath,
    [...GATEWAY_NODE_FLAGS, "--import", "tsx", "src/main.ts"],
    {
      cwd: join(ROOT, "apps/gateway"),
      env: { DATABASE_URL: database.databaseUrl, PORT: String(gatewayPort), HOST: "127.0.0.1" },
    },
  ),
  startService(
    "web",
    join(ROOT, "node_modules/.bin/next"),
    ["start", "-p", String(webPort), "-H", "127.0.0.1"],
    {
      cwd: join(ROOT, "apps/web"),
      env: { DATABASE_URL: database.databaseUrl, LUNAR_PUBLIC_GATEWAY_URL: gatewayUrl },
    },
  ),
);
for (const service of services) {
  service.on("exit", (code) => {
    if (!stopping) {
      log(`a service exited unexpectedly (code ${code}); stopping everything`);
      void shutdown(1);
    }
  });
}

try {
  await waitForHttp(`http://127.0.0.1:${gatewayPort}/healthz`, 60_000);
  await waitForHttp(`http://127.0.0.1:${webPort}/api/health`, 60_000);
} catch (error) {
  log((error as Error).message);
  await shutdown(1);
}

const webUrl = `http://localhost:${webPort}`;
let demoLine = "off (DEMO=0)";
if (process.env.DEMO !== "0") {
  const apiKey = await demoApiKey(webUrl, join(ROOT, ".data", "demo-agent", "api-key"));
  if (apiKey) {
    services.push(
      startService("demo", join(ROOT, "node_modules/.bin/tsx"), ["demo/run-demo.ts"], {
        cwd: join(ROOT, "apps/mcpx-agent"),
        env: {
          LUNAR_GATEWAY_URL: gatewayUrl,
          LUNAR_API_KEY: apiKey,
          DEMO_STATE_DIR: join(ROOT, ".data", "demo-agent"),
        },
      }),
    );
    demoLine = `agent with Slack and Google Maps servers; log in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}`;
  } else {
    demoLine = "not started (the demo account could not be used)";
  }
}

log("");
log(`Dashboard  http://localhost:${webPort}   (sign up, then create an API key)`);
log(`Demo       ${demoLine}`);
log(`Gateway    ${gatewayUrl}   (LUNAR_GATEWAY_URL for agents)`);
log(
  `Database   ${database.embedded ? `embedded, data in ${database.embedded.dataDir}` : "DATABASE_URL"}`,
);
log("Press Ctrl-C to stop.");
