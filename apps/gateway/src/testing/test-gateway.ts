import pino from "pino";
import { loadEnv, type TGatewayEnv } from "../env";
import { type RunningGateway, startGateway } from "../server";

/** A real gateway on an ephemeral loopback port, with test-friendly defaults. */
export function startTestGateway(
  databaseUrl: string,
  overrides: Partial<TGatewayEnv> = {},
): Promise<RunningGateway> {
  const env = {
    ...loadEnv({ DATABASE_URL: databaseUrl, PORT: "0", LOG_LEVEL: "silent" }),
    ...overrides,
  };
  return startGateway(env, pino({ level: env.LOG_LEVEL }));
}
