import { z } from "zod";

// The one place the gateway reads its environment.
const ZGatewayEnv = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default("127.0.0.1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});
export type TGatewayEnv = z.infer<typeof ZGatewayEnv>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): TGatewayEnv {
  const parsed = ZGatewayEnv.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
