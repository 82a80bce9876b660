import { z } from "zod";

// The one place the web app reads its environment.
const ZWebEnv = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required"),
  LUNAR_PUBLIC_GATEWAY_URL: z.url().default("http://localhost:8080"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});
export type TWebEnv = z.infer<typeof ZWebEnv>;

let cached: TWebEnv | undefined;

export function env(): TWebEnv {
  if (!cached) {
    const parsed = ZWebEnv.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
    }
    cached = parsed.data;
  }
  return cached;
}
