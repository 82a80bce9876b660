import { z } from "zod";

/** RFC 9457 problem details, the one error shape of every HTTP API we serve. */
export const ZProblem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: z.string(),
  requestId: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type TProblem = z.infer<typeof ZProblem>;
